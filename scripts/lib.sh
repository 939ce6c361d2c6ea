# Sourced by the scripts and the launcher: finding JDK 25 and installing what a fresh machine lacks.

die() {
  echo "$*" >&2
  exit 1
}

# Prints the home of a JDK 25 or newer: $JAVA_HOME if it is one, else one under /usr/lib/jvm. Shell
# built-ins only: the launcher runs this at every start.
find_jdk25() {
  local candidate line version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -f "$candidate/release" ] || continue
    version=
    while IFS= read -r line; do
      case $line in
        JAVA_VERSION=*)
          version=${line#JAVA_VERSION=\"}
          version=${version%%[!0-9]*}
          break
          ;;
      esac
    done < "$candidate/release"
    if [ -n "$version" ] && [ "$version" -ge 25 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# Installs the Debian packages that are missing (apt-get update only when something is).
install_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages ${missing[*]}: run this as root to install them"
  echo "installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Everything building and testing needs; JDK 25 must already be on the machine (Temurin under /usr/lib/jvm).
install_deps() {
  # clang/llvm compile the BPF C, libbpf-dev its headers, libbpf1 what the JNA binding loads,
  # maven the build, gcc test and benchmark helpers, bpftool regenerates vmlinux.h; containerd, runc
  # and busybox-static make the tests' real containers; libbpf-tools (execsnoop) and bpftrace are
  # what the benchmark compares trace exec with (its smoke run is part of the tests); chromium draws
  # profile cpu's flame graph in a test, which checks that the SVG renders; buildah assembles the
  # daemon's image (daemonset/build-image); ip and nsenter give test pods and the kubectl plugin's
  # test nodes their network namespaces.
  install_packages clang llvm libbpf-dev libbpf1 bpftool maven gcc containerd runc busybox-static \
    libbpf-tools bpftrace chromium buildah iproute2 util-linux
  # kubectl runs the plugin in its end-to-end tests (plugin discovery); any kubectl does, Debian's too.
  command -v kubectl >/dev/null || install_packages kubernetes-client
  JAVA_HOME=$(find_jdk25) || die "no JDK 25 under /usr/lib/jvm: install Temurin 25 (the project targets Java 25)"
  export JAVA_HOME
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's own guava warns about sun.misc.Unsafe on JDK 25; it is harmless.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}
