#!/bin/sh
# Compiles the C test targets of one test bundle: every SRC/*.c becomes OUT/<name>.
# A line "// cflags: ..." in a source file adds flags for that file (e.g. -O2, -static, -no-pie).
# Each line "// variant NAME: FLAGS" also builds OUT/<name>_NAME from the same source with FLAGS
# (one source, several builds: -O0/-O2, PIE/non-PIE, DWARF versions...).
# Binaries are build output only; they are never committed.
set -eu
src=$1
out=$2
[ -d "$src" ] || exit 0
mkdir -p "$out"
for c in "$src"/*.c; do
  [ -e "$c" ] || continue
  name=$(basename "$c" .c)
  extra=$(sed -n 's|^// cflags: ||p' "$c" | head -n 1)
  bin="$out/$name"
  if [ ! -e "$bin" ] || [ "$c" -nt "$bin" ]; then
    # shellcheck disable=SC2086
    gcc -g -O0 -Wall -pthread $extra -o "$bin" "$c"
  fi
  sed -n 's|^// variant \([A-Za-z0-9_]*\): \(.*\)$|\1 \2|p' "$c" | while read -r variant flags; do
    vbin="$out/${name}_$variant"
    if [ ! -e "$vbin" ] || [ "$c" -nt "$vbin" ]; then
      # shellcheck disable=SC2086
      gcc -g -O0 -Wall -pthread $extra $flags -o "$vbin" "$c"
    fi
  done
done
