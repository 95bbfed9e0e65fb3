#!/usr/bin/env bash
# Print the path of a working Python interpreter for a stack: "3" (3.11, 3.10 or 3.9), "3.11"
# (the QONNX check environment) or "2.7".
# Looks on PATH first, then in pyenv's versions. Exits 1 with a message when none works.
set -u
want=${1:?usage: find-python.sh 3|3.11|2.7}
case "$want" in
  3) names="python3.11 python3.10 python3.9"; globs="3.11 3.10 3.9" ;;
  3.11) names="python3.11"; globs="3.11" ;;
  2.7) names="python2.7"; globs="2.7" ;;
  *) echo "find-python.sh: unknown stack '$want' (use 3, 3.11 or 2.7)" >&2; exit 2 ;;
esac
works() { "$1" -c 'import sys' >/dev/null 2>&1; }
for name in $names; do
  if command -v "$name" >/dev/null 2>&1 && works "$name"; then
    "$name" -c 'import sys; print(sys.executable)'; exit 0
  fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for version in $globs; do
    for candidate in $(ls -d "$root"/versions/"$version".* 2>/dev/null | sort -Vr); do
      if works "$candidate/bin/python"; then echo "$candidate/bin/python"; exit 0; fi
    done
  done
fi
echo "find-python.sh: no Python $want found (install it, e.g. 'pyenv install $want')" >&2
exit 1
