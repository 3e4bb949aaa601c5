#!/usr/bin/env bash
# Extract every marked message from the sources into the template and merge it into the
# Kazakh and Russian catalogs (new messages come in empty, changed ones fuzzy: translate them,
# then ./run-tests checks that none is left). Run inside the set-up environment (.venv).
set -euo pipefail
cd "$(dirname "$0")/.."
locale=protocol_desk/locale
pybabel -q extract -F "$locale/babel.cfg" -o "$locale/protocol_desk.pot" \
  -k _ -k N_ -k ngettext:1,2 -k Nn_:1,2 -k Column:1 -c "Translators:" --sort-by-file \
  --project "Protocol Desk" --copyright-holder "Protocol Desk" --no-wrap protocol_desk
for lang in kk ru; do
  po="$locale/$lang/LC_MESSAGES/protocol_desk.po"
  if [ -f "$po" ]; then
    pybabel -q update -D protocol_desk -i "$locale/protocol_desk.pot" -d "$locale" -l "$lang" \
      --no-wrap --ignore-obsolete
  else
    pybabel -q init -D protocol_desk -i "$locale/protocol_desk.pot" -d "$locale" -l "$lang" \
      --no-wrap
  fi
done
