#!/bin/sh
# Serve the site with production settings (gunicorn, 2 sync workers, PostgreSQL, Redis) and load it
# with wrk: home, an article, the listing, two searches and a bare Django view as the ceiling, then
# "new searches" (bench/new_searches.lua: every request a query the cache has not seen).
# Usage (from a checkout with its .venv; see bench/README.md):
#   BENCH_DB=postgresql://postgres@127.0.0.1:5432/wt9 BENCH_REDIS=redis://127.0.0.1:6379/9 sh bench/web.sh [label]
# Prerequisite: wrk (Debian: apt-get install -y wrk).
set -eu
LABEL=${1:-run}
DURATION=${BENCH_DURATION:-15s}
PORT=${BENCH_PORT:-18909}
export DJANGO_SETTINGS_MODULE=bench.settings
export DATABASE_URL=${BENCH_DB:?set BENCH_DB} CELERY_BROKER_URL=${BENCH_REDIS:?set BENCH_REDIS}
export SECRET_KEY=bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=127.0.0.1
export WAGTAILADMIN_BASE_URL=http://127.0.0.1:$PORT LINE_CHANNEL_SECRET=bench LINE_CHANNEL_ACCESS_TOKEN=bench
export APP_API_KEY=bench FCM_CREDENTIALS_JSON='{}'
PY=${BENCH_PYTHON:-.venv/bin/python}
$PY manage.py collectstatic --noinput -v0
$PY manage.py update_index -v0 >/dev/null
ARTICLE=$($PY manage.py shell -c "from articles.models import ArticlePage; from urllib.parse import quote; print(quote(ArticlePage.objects.live().filter(locale__language_code='ja').order_by('pk').first().url))" | tail -1)
LISTING=$($PY manage.py shell -c "from articles.models import ArticleIndexPage; from urllib.parse import quote; print(quote(ArticleIndexPage.objects.live().filter(locale__language_code='ja').first().url))" | tail -1)
$(dirname $PY)/gunicorn bench.wsgi -c gunicorn.conf.py --workers 2 --bind 127.0.0.1:$PORT --log-level warning --pid /tmp/bench-gunicorn-$PORT.pid &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
sleep 6
H="X-Forwarded-Proto: https"
for name_url in "bare /bench/bare/" "home /" "article $ARTICLE" "listing $LISTING" \
    "search_word /search/?q=%E9%9B%A2%E4%B9%B3%E9%A3%9F" \
    "search_sentence /search/?q=%E8%B5%A4%E3%81%A1%E3%82%83%E3%82%93%E3%81%8C%E7%86%B1%E3%82%92%E5%87%BA%E3%81%97%E3%81%9F"; do
    name=${name_url%% *}; url=${name_url#* }
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "$H" "http://127.0.0.1:$PORT$url")
    result=$(wrk -t2 -c8 -d"$DURATION" --latency -H "$H" "http://127.0.0.1:$PORT$url")
    rps=$(echo "$result" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$result" | awk '$1=="50%" {print $2}')
    p99=$(echo "$result" | awk '$1=="99%" {print $2}')
    errors=$(echo "$result" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
    echo "$LABEL $name status=$status rps=$rps p50=$p50 p99=$p99 $errors"
done
# A new page-cache generation first: no page an earlier run cached can answer (the script's queries
# repeat from run to run), and the workers start this generation's memory from nothing.
$PY manage.py shell -c "from pagecache.invalidation import clear_pages; clear_pages('bench: new searches')" 2>/dev/null
result=$(wrk -t2 -c8 -d"$DURATION" --latency -H "$H" -s "$(dirname "$0")/new_searches.lua" "http://127.0.0.1:$PORT")
rps=$(echo "$result" | awk '/Requests\/sec/ {print $2}')
p50=$(echo "$result" | awk '$1=="50%" {print $2}')
p99=$(echo "$result" | awk '$1=="99%" {print $2}')
errors=$(echo "$result" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
echo "$LABEL new_searches rps=$rps p50=$p50 p99=$p99 $errors"
for pid in $(pgrep -P $GUNICORN); do
    # RSS counts every mapped page (SudachiPy's dictionary too, shared through the page cache);
    # PSS divides shared pages among the processes mapping them; private pages are the worker's own.
    pss=$(awk '/^Pss:/ {print int($2 / 1024)}' /proc/$pid/smaps_rollup)
    private=$(awk '/^Private_(Clean|Dirty):/ {kb += $2} END {print int(kb / 1024)}' /proc/$pid/smaps_rollup)
    echo "$LABEL worker $pid rss_mb=$(($(ps -o rss= -p "$pid") / 1024)) pss_mb=$pss private_mb=$private"
done
