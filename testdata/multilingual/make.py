#!/usr/bin/env python3
"""Builds corpus.jsonl and truth.jsonl of the multilingual test corpus from
the stories in stories_*.py (our own text). Deterministic: run it again after
editing a story and review the diff.

    python3 testdata/multilingual/make.py

For each story: the original (a wire), a verbatim copy (carrying a trick of
the kind that hides copies from plain code-point comparison, one kind per
language: see TRICKS), a lede excerpt (the first two paragraphs), a lightly
edited copy (two words changed) and an unrelated story on the same topic.
Story zh1 adds a copy with one word changed in every sentence, ja1 a copy
rewritten from です/ます to である style.
"""
import json
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
import sys

sys.path.insert(0, HERE)
from stories_cjk import STORIES as CJK  # noqa: E402
from stories_other import STORIES as OTHER  # noqa: E402

OUTLETS = {
    "zh": ["Huaxia Wire", "Jiangnan Daily", "Pearl River Post", "Northern Evening News", "Kunlun Net"],
    "ja": ["Sakura Press", "Kanto Shimbun", "Setouchi Times", "Hokuriku Daily", "Kyushu Net"],
    "ko": ["Hanbit Wire", "Seoul Ilbo", "Busan Maeil", "Daejeon Today", "Jeju Net"],
    "th": ["Chao Phraya Wire", "Lanna Post", "Isan Daily", "Andaman News", "Siam Net"],
    "ru": ["Volga Wire", "Moskovsky Vestnik", "Sibirskaya Gazeta", "Ural Daily", "Neva Net"],
    "ar": ["Nile Wire", "Al-Sahil Daily", "Atlas Post", "Gulf Evening", "Levant Net"],
    "es": ["Agencia Andina", "Diario del Sur", "La Voz Austral", "El Correo Central", "Pampa Net"],
}


def zwsp_every(text, n, mark="\u200b"):
    """Inserts `mark` after every n-th letter (inside words)."""
    out, k = [], 0
    for c in text:
        out.append(c)
        if c.isalpha():
            k += 1
            if k % n == 0:
                out.append(mark)
    return "".join(out)


def full_width_digits(text):
    return "".join(chr(ord(c) - 0x30 + 0xFF10) if "0" <= c <= "9" else c for c in text)


LOOK = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y"}


def latin_lookalikes(text):
    """Swaps Cyrillic letters for Latin look-alikes in every third word."""
    words = text.split(" ")
    return " ".join(
        "".join(LOOK.get(c, c) for c in w) if i % 3 == 0 else w for i, w in enumerate(words)
    )


def nfd_nbsp(text):
    """NFD, and &nbsp; entities for every fourth space."""
    parts = unicodedata.normalize("NFD", text).split(" ")
    return "".join(p + ("&nbsp;" if i % 4 == 3 else " ") for i, p in enumerate(parts)).rstrip()


def entities(text):
    return text.replace("\"", "&quot;").replace(" ", "&nbsp;", 5).replace("…", "&hellip;")


# The trick each language's verbatim copy carries.
TRICKS = {
    "zh": lambda t: zwsp_every(full_width_digits(t), 9),
    "ja": lambda t: zwsp_every(t, 7, "\u00ad"),
    "ko": entities,
    "th": lambda t: zwsp_every(t, 11),
    "ru": latin_lookalikes,
    "ar": lambda t: zwsp_every(t, 5, "\u200d"),
    "es": nfd_nbsp,
}


def replace_all(paras, edits):
    text = "\n\n".join(paras)
    for old, new in edits:
        assert old in text, (old, text[:40])
        text = text.replace(old, new, 1)
    return text


def main():
    corpus, truth = [], []
    day = 1
    for s in CJK + OTHER:
        lang, sid = s["lang"], s["id"]
        outlets = OUTLETS[lang]
        stamp = lambda h, m=0: f"2025-03-{day:02d}T{h:02d}:{m:02d}:00Z"
        body = "\n\n".join(s["paras"])

        def add(kind, outlet, text, published, title, cluster=sid, parent=f"{sid}-orig"):
            aid = f"{sid}-{kind}"
            corpus.append({"id": aid, "source": outlet, "published": published, "title": title, "text": text})
            t = {"id": aid, "cluster": cluster, "kind": kind, "lang": lang}
            if kind != "orig" and cluster == sid:
                t["parent"] = parent
            truth.append(t)

        add("orig", outlets[0], body, stamp(6), s["title"])
        add("verbatim", outlets[1], TRICKS[lang](body), stamp(7), s["title"])
        add("lede", outlets[2], "\n\n".join(s["paras"][:2]), stamp(8), s["title"])
        add("edit", outlets[3], replace_all(s["paras"], s["edits"]), stamp(9), s["title"])
        if "per_sentence" in s:
            add("per_sentence", outlets[4], replace_all(s["paras"], s["per_sentence"]), stamp(10), s["title"])
        if "restyle" in s:
            add("restyle", outlets[4], replace_all(s["paras"], s["restyle"]), stamp(10), s["title"])
        u = s["unrelated"]
        add("other", outlets[4], "\n\n".join(u["paras"]), stamp(6, 30), u["title"], cluster=f"{sid}-other")
        day += 1
    with open(os.path.join(HERE, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for r in corpus:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "truth.jsonl"), "w", encoding="utf-8") as f:
        for r in truth:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(corpus)} articles")


if __name__ == "__main__":
    main()
