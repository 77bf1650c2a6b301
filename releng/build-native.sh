#!/bin/sh
# Compiles the C test targets of one test bundle: every SRC/*.c becomes OUT/<name>.
# A line "// cflags: ..." in a source file adds flags for that file (e.g. -O2, -static, -no-pie).
# Each line "// variant NAME: FLAGS" also builds OUT/<name>_NAME from the same source with FLAGS
# (one source, several builds: -O0/-O2, PIE/non-PIE, DWARF versions...).
# A line "// shared: FLAGS" makes the source a shared library OUT/lib<name>.so (-shared -fPIC plus
# FLAGS) instead of a program; shared libraries are built first, and programs link with -L OUT, so a
# program can say "// cflags: -lNAME -Wl,-rpath,$ORIGIN" (flags are not shell-expanded).
# Binaries are build output only; they are never committed.
set -eu
src=$1
out=$2
[ -d "$src" ] || exit 0
mkdir -p "$out"
for c in "$src"/*.c; do
  [ -e "$c" ] || continue
  grep -q '^// shared:' "$c" || continue
  name=$(basename "$c" .c)
  flags=$(sed -n 's|^// shared: *||p' "$c" | head -n 1)
  lib="$out/lib$name.so"
  if [ ! -e "$lib" ] || [ "$c" -nt "$lib" ]; then
    # shellcheck disable=SC2086
    gcc -g -O0 -Wall -shared -fPIC $flags -o "$lib" "$c"
  fi
done
for c in "$src"/*.c; do
  [ -e "$c" ] || continue
  if grep -q '^// shared:' "$c"; then
    continue
  fi
  name=$(basename "$c" .c)
  extra=$(sed -n 's|^// cflags: ||p' "$c" | head -n 1)
  bin="$out/$name"
  if [ ! -e "$bin" ] || [ "$c" -nt "$bin" ]; then
    # shellcheck disable=SC2086
    gcc -g -O0 -Wall -pthread -L"$out" -o "$bin" "$c" $extra
  fi
  sed -n 's|^// variant \([A-Za-z0-9_]*\): \(.*\)$|\1 \2|p' "$c" | while read -r variant flags; do
    vbin="$out/${name}_$variant"
    if [ ! -e "$vbin" ] || [ "$c" -nt "$vbin" ]; then
      # shellcheck disable=SC2086
      gcc -g -O0 -Wall -pthread -L"$out" $flags -o "$vbin" "$c" $extra
    fi
  done
done
