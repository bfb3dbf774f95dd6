# need_debs DEB...: installs the Debian packages that are not installed yet (apt-get update first,
# once), so that `make demo` and `make test` set up a fresh machine themselves. Needs root.
# shellcheck shell=bash
need_debs() {
  local missing=() d
  for d in "$@"; do
    dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q 'install ok installed' || missing+=("$d")
  done
  ((${#missing[@]})) || return 0
  echo "installing Debian packages: ${missing[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
