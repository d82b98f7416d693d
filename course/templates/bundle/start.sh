#!/bin/sh
# Career Aspirations Workshop: the first time, set up in this folder; every time, open the lessons.
# Run it from a terminal with:  sh start.sh
cd "$(dirname "$0")" || exit 1
echo "Career Aspirations Workshop"
echo "Needs: Python 3.11 or newer; the internet the first time only; about @SIZE_MB@ MB of disk."
echo

PY=""
for candidate in python3.14 python3.13 python3.12 python3.11 python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    PY="$candidate"
    break
  fi
done
if [ ! -x .venv/bin/python ] && [ -z "$PY" ]; then
  echo "Python 3.11 or newer was not found on this computer."
  echo "Install it from https://www.python.org/downloads/ and run this again."
  exit 1
fi

if [ ! -x .venv/bin/python ] || [ ! -f .venv/.ready ]; then
  echo "First start: setting up in this folder (a few minutes; nothing outside it changes)..."
  rm -rf .venv
  if ! "$PY" -m venv .venv; then
    echo "Could not make the environment. On Debian or Ubuntu, first run:"
    echo "    sudo apt install python3-venv"
    exit 1
  fi
  if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check "./@WHEEL@[speech]"; then
    rm -rf .venv
    echo "Setting up did not finish: check the internet connection and run this again."
    exit 1
  fi
  touch .venv/.ready
  echo "Set up. Next time this starts in seconds, without the internet."
fi

echo "Opening the lessons in your browser. To stop: close the tab, then press Ctrl+C here."
# @COMMAND@: the learner app (python -m course app): every lesson and exercise, no code.
exec .venv/bin/python -m course @COMMAND@ "$@"
