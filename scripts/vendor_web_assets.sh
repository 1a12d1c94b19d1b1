#!/usr/bin/env bash
# Refresh the front-end assets vendored into src/newsint/web/static/vendor/ from the npm
# registry, at the versions pinned in scripts/web-assets/package.json (and its lock file).
#
# Run by a developer when an asset should change, then commit the result; neither the tests
# nor `make setup` run it, and the web UI never fetches anything from a network at run time.
#   scripts/vendor_web_assets.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PINS="$ROOT/scripts/web-assets"
DEST="$ROOT/src/newsint/web/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cp "$PINS/package.json" "$PINS/package-lock.json" "$WORK/"
# --ignore-scripts: no package gets to run code on this machine (swagger-ui-dist would
# otherwise run its analytics hook).
(cd "$WORK" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
NM="$WORK/node_modules"

rm -rf "$DEST"
mkdir -p "$DEST"/{leaflet/images,topojson-client,world-atlas,swagger-ui}

# Leaflet: the map. Minified build, its stylesheet and the images the stylesheet names.
cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.css" "$NM/leaflet/LICENSE" "$DEST/leaflet/"
cp "$NM"/leaflet/dist/images/*.png "$DEST/leaflet/images/"

# topojson-client: turns the world-atlas TopoJSON into GeoJSON country shapes.
cp "$NM/topojson-client/dist/topojson-client.min.js" "$NM/topojson-client/LICENSE" "$DEST/topojson-client/"

# world-atlas: Natural Earth country shapes at 1:50m, the map's only background.
cp "$NM/world-atlas/countries-50m.json" "$NM/world-atlas/LICENSE" "$DEST/world-atlas/"

# Swagger UI: the interactive OpenAPI page at /docs.
cp "$NM/swagger-ui-dist/swagger-ui-bundle.js" "$NM/swagger-ui-dist/swagger-ui.css" \
   "$NM/swagger-ui-dist/LICENSE" "$NM/swagger-ui-dist/NOTICE" \
   "$NM/swagger-ui-dist/swagger-ui-bundle.js.LICENSE.txt" "$DEST/swagger-ui/"

# Source-map comments point at files not vendored; drop them so browsers ask for nothing
# the server does not have.
for f in "$DEST/leaflet/leaflet.js" "$DEST/swagger-ui/swagger-ui-bundle.js" "$DEST/swagger-ui/swagger-ui.css"; do
    sed -i -e '/^\/[/*][#@] sourceMappingURL=.*$/d' "$f"
done

# A manifest: which package and version each file came from, with its SHA-256.
python3 - "$NM" "$DEST" <<'PY'
import hashlib, json, pathlib, sys
nm, dest = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
packages = {"leaflet": "leaflet", "topojson-client": "topojson-client",
            "world-atlas": "world-atlas", "swagger-ui": "swagger-ui-dist"}
manifest = {}
for folder, package in packages.items():
    meta = json.loads((nm / package / "package.json").read_text())
    manifest[folder] = {
        "package": package, "version": meta["version"], "license": meta.get("license"),
        "files": {str(p.relative_to(dest / folder)): hashlib.sha256(p.read_bytes()).hexdigest()
                  for p in sorted((dest / folder).rglob("*")) if p.is_file()},
    }
(dest / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
PY
echo "vendored into ${DEST#$ROOT/}:"
(cd "$DEST" && find . -type f | sort | sed 's/^\.\//  /')
