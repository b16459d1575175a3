#!/usr/bin/env bash
# Make the system programs the project drives present: a Chromium (static chart export
# through kaleido) and, with --office, LibreOffice Calc and Writer (tests reopen
# the workbook and the questionnaire).
# Installs Debian packages when run as root with apt; otherwise says exactly what to do.
set -u
want_office=0
[ "${1:-}" = "--office" ] && want_office=1

find_chrome() {
  # kaleido (through choreographer) honours BROWSER_PATH
  [ -n "${BROWSER_PATH:-}" ] && [ -x "$BROWSER_PATH" ] && { echo "$BROWSER_PATH"; return 0; }
  for b in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$b" >/dev/null 2>&1 && { command -v "$b"; return 0; }
  done
  return 1
}

missing=()
find_chrome >/dev/null || missing+=(chromium)
if [ "$want_office" = 1 ]; then
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc)
  # Writer converts the docx questionnaire in the tests
  [ -e /usr/lib/libreoffice/program/swriter ] || missing+=(libreoffice-writer)
fi
[ ${#missing[@]} -eq 0 ] && { echo "[setup] programmes système présents : $(find_chrome)"; exit 0; }

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[setup] installation Debian : ${missing[*]} (une seule fois)"
  apt-get update -qq >/dev/null && \
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" fonts-dejavu-core >/dev/null && exit 0
  echo "[setup] ÉCHEC de apt-get install ${missing[*]}." >&2
fi
echo "[setup] À FAIRE : installez ${missing[*]}, par exemple :" >&2
echo "        sudo apt-get install ${missing[*]}     (Debian/Ubuntu)" >&2
echo "        ou indiquez un Chrome existant : export BROWSER_PATH=/chemin/vers/chrome" >&2
echo "        Sans Chromium, les graphiques sont écrits en HTML et CSV mais pas en PNG/SVG." >&2
exit 0
