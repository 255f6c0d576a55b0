#!/bin/sh
# build.sh OUT — writes the example lecture deck into OUT (build/site/deck):
# installs the pinned reveal.js with npm ci (from the npm cache when it can)
# and copies reveal.js's dist files and the deck's own files. The deck loads
# ../raft-cluster.js, so OUT/.. must hold the rest of the site.
set -eu
out=${1:?usage: build.sh OUT}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$here"
npm ci --prefer-offline --no-audit --no-fund --loglevel=error
rv=node_modules/reveal.js
mkdir -p "$out/reveal/theme"
cp "$rv/dist/reveal.js" "$rv/dist/reveal.css" "$rv/LICENSE" "$out/reveal/"
cp "$rv/dist/theme/white.css" "$out/reveal/theme/"
cp index.html deck.js deck.css "$out/"
echo "deck: reveal.js $(node -p "require('./$rv/package.json').version") -> $out"
