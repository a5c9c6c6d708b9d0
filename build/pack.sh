#!/usr/bin/env bash
# Packs every shipped package (each project under src/, and the `dotnet new` template package under templates/) into
# ./artifacts, or into the folder given as $1, and the exec wrapper layer beside them: datadog-otel-dotnet-layer.zip,
# with src/Datadog.Otel.Lambda/ExecWrapper/datadog-otel-dotnet at its root (/opt/datadog-otel-dotnet in Lambda,
# AWS_LAMBDA_EXEC_WRAPPER; see docs/zero-code.md).
#   Release, deterministic (ContinuousIntegrationBuild: /_/ source paths), XML docs, README, symbols (.snupkg).
#   SourceLink when origin is a GitHub repository; otherwise every source file is embedded in the
#   symbols instead, so a debugger can still step into the code.
#   PACKAGE_VERSION=x.y.z overrides the version (tests pack a unique one so no stale cached package is restored).
# The build goes to a scratch folder, so packing never touches the bin/ and obj/ of a running build or test; the
# folder is inside the repository (artifacts/ is git-ignored) so that generated sources also get /_/ paths.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$repo/artifacts}")
mkdir -p "$repo/artifacts"
work=$(mktemp -d "$repo/artifacts/.pack-XXXXXX")
trap 'rm -rf "$work"' EXIT

# A solution filter of src/* so that the packages build in parallel in one invocation.
projects=$(cd "$repo" && ls src/*/*.csproj | sed 's/.*/      "&"/' | paste -sd, -)
cat > "$work/packages.slnf" <<JSON
{ "solution": { "path": "$repo/Datadog.Otel.Lambda.sln", "projects": [
$projects
] } }
JSON

props=(-c Release -p:ContinuousIntegrationBuild=true -p:Deterministic=true -p:PackReadyToRunImages=true)
origin=$(git -C "$repo" remote get-url origin 2>/dev/null || true)
case "$origin" in
  *github.com[:/]*)
    props+=(-p:EnableSourceLink=true)
    ;;
  *)
    # Microsoft.SourceLink.GitHub can only link to GitHub; a clone of a local path or another host gets none.
    echo "pack.sh: origin '${origin:-none}' is not a GitHub repository: no SourceLink; sources are embedded in the symbols instead." >&2
    props+=(-p:EnableSourceLink=false -p:EmbedAllSources=true)
    ;;
esac
if [ -n "${PACKAGE_VERSION:-}" ]; then
  props+=(-p:Version="$PACKAGE_VERSION")
fi

mkdir -p "$out"
dotnet pack "$work/packages.slnf" "${props[@]}" --artifacts-path "$work/build" -o "$out" -nologo
# The templates reference the packages above at the same version (written into template.json when packing).
for template in "$repo"/templates/*/*.csproj; do
  dotnet pack "$template" "${props[@]}" --artifacts-path "$work/build" -o "$out" -nologo
done

# The layer: the wrapper at the zip's root, executable, with a fixed time so that the zip is the same on every build.
mkdir -p "$work/layer"
install -m 755 "$repo/src/Datadog.Otel.Lambda/ExecWrapper/datadog-otel-dotnet" "$work/layer/datadog-otel-dotnet"
touch -d '2000-01-01T00:00:00Z' "$work/layer/datadog-otel-dotnet"
TZ=UTC dotnet msbuild "$repo/build/layer.proj" -nologo -v:q -p:LayerContent="$work/layer" -p:LayerZip="$out/datadog-otel-dotnet-layer.zip"
ls -1 "$out"
