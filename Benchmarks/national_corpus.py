#!/usr/bin/env python3
"""A province's year in the national format, for make bench: --bodies bodies, each sending its
2022 statistics template as the fixtures' bodies do (GB18030 or UTF-8 CSV with all three tables,
or platform XML with full label paths), their registry, and expected.json: every cell of tables
3 and 4 summed. Deterministic for a given --bodies."""
import argparse, json, os, random, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures"))
import make_fixtures as fx  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--bodies", type=int, default=5000)
    a = ap.parse_args()
    inbox = os.path.join(a.out, "inbox", "2022")
    os.makedirs(inbox, exist_ok=True)
    os.makedirs(os.path.join(a.out, "config"), exist_ok=True)
    cols = ["natural", "org.business", "org.research", "org.ngo", "org.legal", "org.other", "total"]
    t4 = [f"{b}.{o}" for b in ("review", "lit_direct", "lit_after_review") for o in ("upheld", "corrected", "other", "pending", "total")]
    codes = {"new": "new", "carried_in": "carried_in", "granted": "res.granted", "partial": "res.partial", "total": "res.total",
             "carry_out": "carry_out"}
    for prefix, group, names in (("d", "denied", ["state_secret", "law_prohibited", "three_security_one_stability", "third_party",
                                                  "internal_affairs", "process_info", "enforcement_file", "admin_query"]),
                                 ("u", "unable", ["not_held", "needs_creation", "unclear"]),
                                 ("n", "not_processed", ["petition", "repeat", "publication", "mass_repeat", "confirm_reissue"]),
                                 ("o", "other", ["no_correction", "no_fee", "other"])):
        for i, name in enumerate(names):
            codes[f"{prefix}{i + 1}"] = f"res.{group}.{name}"
    expected, registry, size = {}, ["name,aliases,code,level"], 0
    for k in range(a.bodies):
        name = f"样例{k:05d}局"
        registry.append(f"{name},,,department")
        b = fx.national_body(900000 + k, 10 + k % 60)
        folder = os.path.join(inbox, name)
        os.makedirs(folder, exist_ok=True)
        if k % 5 == 4:
            data = fx.national_xml("", name, b).encode("utf-8")
            path = os.path.join(folder, "年报数据.xml")
        else:
            text = fx.national_csv(b, title=f"{name}2022年政府信息公开工作年度报告统计表")
            data = text.encode("gb18030") if k % 2 else ("\ufeff" + text).encode("utf-8")
            path = os.path.join(folder, "统计表.csv")
        with open(path, "wb") as f:
            f.write(data)
        size += len(data)
        for _, key in fx.T3_ROWS:
            for c, v in enumerate(b["t3"][key]):
                code = f"v2021.t3.{codes[key]}.{cols[c]}"
                expected[code] = expected.get(code, 0) + v
        for c, v in enumerate(b["t4"]):
            expected[f"v2021.t4.{t4[c]}"] = expected.get(f"v2021.t4.{t4[c]}", 0) + v
    with open(os.path.join(a.out, "config", "submitters.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(registry) + "\n")
    with open(os.path.join(a.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"bodies": a.bodies, "bytes": size, "cells": expected}, f, ensure_ascii=False, sort_keys=True)


if __name__ == "__main__":
    main()
