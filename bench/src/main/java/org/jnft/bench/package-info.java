/** JMH benchmarks of jnft's data plane and compiler; see docs/BENCHMARKS.md for figures. */
package org.jnft.bench;
