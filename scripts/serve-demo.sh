#!/usr/bin/env bash
# Serve the demo: the task worker in the background, the web server in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p var

$PY manage.py worker --no-startup-delay >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

$PY manage.py load_demo | sed -n '/Akun demo/,$p'
echo
echo "Lumbung Inovasi berjalan di http://127.0.0.1:8000  (tugas latar: var/worker.log; berhenti: Ctrl+C)"
$PY manage.py runserver 127.0.0.1:8000 --noreload
