#!/usr/bin/env bash
# Build the Debian package: target/debian/eventscope_<version>-1_<arch>.deb, with the binary, the desktop
# entry (offered for SQLite files), the icon in the usual sizes, shell completions for bash, zsh and fish,
# and a manual page per subcommand. Needs cargo-deb (`cargo install cargo-deb --locked`); `--check` also
# lists the package, checks every file it must hold and validates the desktop entry
# (`desktop-file-validate`, Debian package desktop-file-utils).
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
[ "${1:-}" = "--check" ] && check=true

cargo build --release --locked
# The binary where cargo put it (CARGO_TARGET_DIR may move it; cargo-deb maps target/release/ the same way).
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin=$target_dir/release/eventscope
# Generated files beside the packaging sources (ignored by git), where cargo-deb's asset paths point.
out=packaging/generated
rm -rf "$out" && mkdir -p "$out/man"
"$bin" completions bash >"$out/eventscope.bash"
"$bin" completions zsh >"$out/_eventscope"
"$bin" completions fish >"$out/eventscope.fish"
"$bin" man >"$out/man/eventscope.1"
# Every page the main one refers to (eventscope-streams(1), ...).
for sub in $(sed -n 's/^eventscope\\-\([a-z-]*\)(1)$/\1/p' "$out/man/eventscope.1"); do
  "$bin" man "$sub" >"$out/man/eventscope-$sub.1"
done
deb=$(cargo deb --no-build --output target/debian 2>&1 | tail -1)
echo "$deb"

if $check; then
  listing=$(dpkg-deb -c "$deb")
  for want in usr/bin/eventscope usr/share/applications/eventscope.desktop \
    usr/share/mime/packages/eventscope.xml \
    usr/share/icons/hicolor/16x16/apps/eventscope.png usr/share/icons/hicolor/48x48/apps/eventscope.png \
    usr/share/icons/hicolor/256x256/apps/eventscope.png \
    usr/share/bash-completion/completions/eventscope usr/share/zsh/vendor-completions/_eventscope \
    usr/share/fish/vendor_completions.d/eventscope.fish \
    usr/share/man/man1/eventscope.1 usr/share/man/man1/eventscope-streams.1 \
    usr/share/man/man1/eventscope-verify.1; do
    grep -q "\./$want" <<<"$listing" || { echo "package-deb: $deb lacks $want" >&2; exit 1; }
  done
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  dpkg-deb -x "$deb" "$dir"
  desktop-file-validate "$dir/usr/share/applications/eventscope.desktop"
  "$dir/usr/bin/eventscope" --version
  echo "package-deb: $deb holds every file, its desktop entry is valid and its binary runs"
fi
