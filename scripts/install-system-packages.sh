#!/usr/bin/env bash
# Installs the Debian packages the grader's sandbox uses (bubblewrap), when they are missing and we may install.
# Best effort: without them the grader still isolates student code with rlimits, an unprivileged user and
# `unshare --net`, and says which isolation it used in every result file.
set -u
missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: ${missing[*]} not installed and cannot be installed here (needs root and apt-get); the grader falls back to weaker isolation." >&2
  exit 0
fi
echo "installing ${missing[*]} (apt-get)"
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
  || echo "note: could not install ${missing[*]}; the grader falls back to weaker isolation." >&2
exit 0
