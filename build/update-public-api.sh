#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to the project's
# .publicApi/PublicAPI.Unshipped.txt, then sorts the file. Usage: build/update-public-api.sh src/<Project>
set -euo pipefail
project_dir=${1:?usage: $0 src/<Project>}
unshipped="$project_dir/.publicApi/PublicAPI.Unshipped.txt"
mkdir -p "$project_dir/.publicApi"
touch "$project_dir/.publicApi/PublicAPI.Shipped.txt" "$unshipped"
if ! grep -q '^#nullable enable' "$unshipped"; then
  { printf '#nullable enable\n'; cat "$unshipped"; } > "$unshipped.tmp"
  mv "$unshipped.tmp" "$unshipped"
fi
if ! grep -q '^#nullable enable' "$project_dir/.publicApi/PublicAPI.Shipped.txt"; then
  echo '#nullable enable' > "$project_dir/.publicApi/PublicAPI.Shipped.txt"
fi
symbols=$(dotnet build "$project_dir" --no-incremental 2>&1 | grep -o "error RS0016: Symbol '[^']*'" | sed "s/error RS0016: Symbol '//; s/'$//" | sort -u || true)
if [ -n "$symbols" ]; then
  { grep -v '^#nullable enable' "$unshipped" || true; printf '%s\n' "$symbols"; } | sort -u > "$unshipped.tmp"
  { echo '#nullable enable'; cat "$unshipped.tmp"; } > "$unshipped"
  rm -f "$unshipped.tmp"
fi
echo "$(grep -vc '^#nullable' "$unshipped") symbols declared in $unshipped"
