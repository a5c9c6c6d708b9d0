#!/usr/bin/env bash
# Brings the project's .publicApi/PublicAPI.Unshipped.txt in line with the code: adds every public symbol the
# PublicApiAnalyzers report as undeclared (RS0016), removes every declared symbol they no longer find (RS0017), then
# sorts the file. Usage: build/update-public-api.sh src/<Project>
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
output=$(dotnet build "$project_dir" --no-incremental 2>&1 || true)
added=$(grep -o "error RS0016: Symbol '[^']*'" <<<"$output" | sed "s/error RS0016: Symbol '//; s/'$//" | sort -u || true)
removed=$(grep -o "error RS0017: Symbol '[^']*'" <<<"$output" | sed "s/error RS0017: Symbol '//; s/'$//" | sort -u || true)
{ grep -v '^#nullable enable' "$unshipped" || true; [ -z "$added" ] || printf '%s\n' "$added"; } | sort -u > "$unshipped.tmp"
if [ -n "$removed" ]; then
  grep -vxF -f <(printf '%s\n' "$removed") "$unshipped.tmp" > "$unshipped.tmp2" || true
  mv "$unshipped.tmp2" "$unshipped.tmp"
fi
{ echo '#nullable enable'; cat "$unshipped.tmp"; } > "$unshipped"
rm -f "$unshipped.tmp"
echo "$(grep -vc '^#nullable' "$unshipped") symbols declared in $unshipped"
