#!/bin/bash
# usage: Benchmarks/compare_outputs.sh BINARY OUTDIR: the 2016 fixtures, then 市民政局 adding blank
# platform XML, then 市教育局 resubmitting (scoped), and a 300-submitter corpus (/tmp/corpus300 from
# ../shared/bench/make_corpus.py --submitters 300 --items-mean 300 --encodings gb18030,utf-8,utf-8-sig):
# cold, one submitter resubmitted, one withdrawn; and a 1,000-body national corpus (/tmp/national1000 from
# Benchmarks/national_corpus.py --bodies 1000), when it exists: cold, then one body resubmitted (scoped).
# Compare two binaries with diff -r of their OUTDIRs.
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$1; OUT=$2; rm -rf $OUT; mkdir -p $OUT
W=$OUT/fx; $BIN init $W >/dev/null; sed -i "s/\"settleSeconds\": *10/\"settleSeconds\":0/" $W/config/workspace.json; cp -Rp "$ROOT"/Fixtures/2016 $W/inbox/2016
$BIN run --workspace $W --year 2016 >/dev/null 2>&1 || true
cp -p "$ROOT"/Fixtures/blank/市民政局/*.xml $W/inbox/2016/市民政局/
$BIN run --workspace $W --year 2016 >/dev/null 2>&1 || true
mkdir -p $OUT/fx1; cp -r $W/out $OUT/fx1/
cp -p ""$ROOT"/Fixtures/blank/市教育局/2016年统计表（更正）.csv" $W/inbox/2016/市教育局/
touch -d '2030-01-01' "$W/inbox/2016/市教育局/2016年统计表（更正）.csv"
$BIN run --workspace $W --year 2016 --submitter 市教育局 >/dev/null 2>&1 || true
W=$OUT/c3; $BIN init $W >/dev/null; sed -i "s/\"settleSeconds\": *10/\"settleSeconds\":0/" $W/config/workspace.json; cp /tmp/corpus300/config/submitters.csv $W/config/; cp -Rp /tmp/corpus300/inbox $W/
$BIN run --workspace $W --year 2016 >/dev/null 2>&1 || true
mkdir -p $OUT/c3a; cp -r $W/out $OUT/c3a/
n=$(ls $W/inbox/2016 | sort | sed -n 150p); f=$W/inbox/2016/$n/items.csv
head -n -1 $f > $f.new; mv $f.new $f; touch -d '2030-01-01' $f
$BIN run --workspace $W --year 2016 --submitter "$n" >/dev/null 2>&1 || true
rm -rf "$W/inbox/2016/$(ls $W/inbox/2016 | sort | sed -n 10p)"
$BIN run --workspace $W --year 2016 >/dev/null 2>&1 || true
if [ -d /tmp/national1000 ]; then
  W=$OUT/n1; $BIN init $W >/dev/null; sed -i "s/\"settleSeconds\": *10/\"settleSeconds\":0/" $W/config/workspace.json
  cp /tmp/national1000/config/submitters.csv $W/config/; cp -Rp /tmp/national1000/inbox $W/
  $BIN run --workspace $W --year 2022 >/dev/null 2>&1 || true
  mkdir -p $OUT/n1a; cp -r $W/out $OUT/n1a/
  n=$(ls $W/inbox/2022 | sort | sed -n 500p); f=$W/inbox/2022/$n/$(ls $W/inbox/2022/$n | head -1)
  printf '\r\n' >> "$f"; touch -d '2030-01-01' "$f"
  $BIN run --workspace $W --year 2022 --submitter "$n" >/dev/null 2>&1 || true
fi
echo ok
