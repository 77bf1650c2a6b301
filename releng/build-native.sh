#!/bin/sh
# Compiles the C test targets of one test bundle: every SRC/*.c becomes OUT/<name>.
# A line "// cflags: ..." in a source file adds flags for that file (e.g. -O2, -static, -no-pie).
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
done
