# Sourced by ./jnft, ./test and .ci/run: exports JAVA_HOME to a JDK >= 25 (Maven itself must run on it).
jnft_java_major() { # prints the major version of $1/bin/javac, or nothing
  [ -x "$1/bin/javac" ] || return 0
  "$1/bin/javac" -version 2>&1 | sed -n 's/^javac \([0-9][0-9]*\).*/\1/p' | head -n 1
}
jnft_find_jdk() {
  local v d
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(jnft_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then export JAVA_HOME; return 0; fi
  fi
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    v=$(jnft_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then export JAVA_HOME=$d; return 0; fi
  done
  echo "jnft: no JDK >= 25 found (JAVA_HOME or /usr/lib/jvm/*); install Temurin 25 (temurin-25-jdk)" >&2
  return 1
}
