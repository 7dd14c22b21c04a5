#!/bin/sh
# Browser tests of Lianmeng (*.test.mjs, shared harness in support.mjs): installs the node packages if needed, then runs `node --test` here.
# Needs the built server (LIANMENG_BIN, default $CARGO_TARGET_DIR or ~/.cache/lianmeng-target,
# + /debug/lianmeng) and /usr/bin/chromium (CHROMIUM to override). Screenshots: ./screenshots/.
set -eu
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
exec node --test "$@"
