"""Rebuild the realistic labelled sets (data/eval/dev.jsonl, test.jsonl) from their sources
and print the agreement of the two independent annotators.

Sources (data/eval/sources/): the writers' documents, the passages cut from them by the
project's own ingestion, each annotator's labels, and the adjudicator's decisions on every
passage where the two annotators disagreed. A passage keeps the annotators' labels when they
agree, the adjudicator's otherwise.

    python scripts/build_eval_set.py           # print agreement, check the sets are up to date
    python scripts/build_eval_set.py --write   # (re)write the dev sets; frozen ones only if absent

test*.jsonl and propositions_test*.jsonl are frozen (sha256 in data/eval/sets.yml):
never rewritten here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "data" / "eval"
SOURCES = EVAL / "sources"
# writer -> (annotator pair, commune, political family), as briefed to each writer
WRITERS = {   # in the order the sets were first built
    "w2": (("A1", "A2"), "Niort", "droite"),
    "w3": (("A1", "A2"), "Dieulefit-sur-Lez (fictive)", "sans étiquette"),
    "w4": (("B1", "B2"), "Carcassonne", "extrême droite"),
    "w6": (("B1", "B2"), "Annecy", "centre"),
    "w1": (("C1", "C2"), "Lyon", "gauche"),
    "w5": (("C1", "C2"), "Bobigny", "gauche"),
    # second batch (dev2 / test2), written, labelled and frozen after the first had been used
    "w7": (("D1", "D2"), "Tourcoing", "gauche"),
    "w8": (("D1", "D2"), "Saint-Aubin-des-Landes (fictive)", "divers droite"),
    "w9": (("E1", "E2"), "Nice", "droite"),
    "w10": (("E1", "E2"), "Besançon", "écologiste"),
    # third batch: two more full programmes (dev3) and short proposals of about a hundred
    # communes, one writer for the north and east (dev), one for the south and west (test,
    # frozen before the tagger ever ran on it); commune and family are given per proposal
    "w11": (("F1", "F2"), "Perpignan", "extrême droite"),
    "w12": (("F1", "F2"), "Saint-Dié-des-Vosges", "divers gauche"),
    "s1": (("G1", "G2"), None, None),
    "s2": (("G1", "G2"), None, None),
    # fourth batch (dev4, propositions_dev): a citizens' list, a 2020 programme written during
    # the first lockdown, a village of 1,600 inhabitants, short proposals of suburbs, overseas
    # and the centre
    "w13": (("H1", "H2"), "Roubaix", "liste citoyenne"),
    "w14": (("H1", "H2"), "Mulhouse (2020)", "centre droit"),
    "w15": (("I1", "I2"), "Felletin", "sans étiquette"),
    "s3": (("I1", "I2"), None, None),
    # fifth batch, written after the tuning on the others and frozen before the tagger ran on
    # it: a big-city sector in Marseille (left), an outgoing far-right team in Fréjus, a 2020
    # ecologist programme in Tours, short proposals of the north-west
    "w16": (("K1", "K2"), "Marseille (13e et 14e)", "gauche"),
    "w17": (("J1", "J2"), "Fréjus", "extrême droite"),
    "w18": (("K1", "K2"), "Tours (2020)", "écologiste"),
    "s4": (("J1", "J2"), None, None),
}
# the set each writer's passages go to, unless the document is in TEST_DOCUMENTS
DEV_SET = {
    **dict.fromkeys(("w1", "w2", "w3", "w4", "w5", "w6"), "dev"),
    **dict.fromkeys(("w7", "w8", "w9", "w10"), "dev2"),
    "w11": "dev3", "w12": "dev3", "s1": "propositions_dev", "s2": "propositions_test",
    "w13": "dev4", "w14": "dev4", "w15": "dev4", "s3": "propositions_dev",
    "w16": "test3", "w17": "test3", "w18": "test3", "s4": "propositions_test2",
}
TEST_SET = {writer: ("test2" if dev == "dev2" else "test") for writer, dev in DEV_SET.items()}
# the test split: whole documents, so that no document is shared with the dev split
TEST_DOCUMENTS = {
    ("w3", "programme"), ("w3", "questionnaire"), ("w3", "tract"),
    ("w6", "programme"), ("w6", "questionnaire"), ("w6", "tract"),
    ("w4", "questionnaire"), ("w4", "tract"), ("w1", "questionnaire"),
    ("w10", "programme"), ("w10", "questionnaire"), ("w10", "tract"),
    ("w9", "questionnaire"), ("w9", "tract"),
}
FROZEN = ("test", "test2", "test3", "propositions_test", "propositions_test2")


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _units(item: dict) -> list[tuple[str, str]]:
    return sorted((t["id"], t["stance"]) for t in item["themes"])


def build() -> tuple[dict[str, list[dict]], dict[str, dict]]:
    """The two splits and, per writer, the annotators' agreement counts."""
    splits: dict[str, list[dict]] = {
        name: [] for name in dict.fromkeys([*DEV_SET.values(), *TEST_SET.values()])}
    agreement = {}
    for writer, ((first, second), commune, famille) in WRITERS.items():
        a = {d["id"]: d for d in _read(SOURCES / "annotations" / first / f"{writer}.jsonl")}
        b = {d["id"]: d for d in _read(SOURCES / "annotations" / second / f"{writer}.jsonl")}
        adjudicated = {d["id"]: d for d in _read(SOURCES / "arbitrage" / f"out_{writer}.jsonl")}
        counts = {"passages": 0, "identical": 0, "units_a": 0, "units_b": 0, "common": 0,
                  "common_stance": 0}
        for passage in _read(SOURCES / "passages" / f"{writer}.jsonl"):
            pid = passage["id"]
            ua, ub = dict(_units(a[pid])), dict(_units(b[pid]))
            counts["passages"] += 1
            counts["identical"] += ua == ub
            counts["units_a"] += len(ua)
            counts["units_b"] += len(ub)
            common = ua.keys() & ub.keys()
            counts["common"] += len(common)
            counts["common_stance"] += sum(ua[t] == ub[t] for t in common)
            if ua == ub:
                themes, note, how = a[pid]["themes"], a[pid].get("note") or b[pid].get("note"), \
                    "accord"
            else:
                themes, note, how = adjudicated[pid]["themes"], adjudicated[pid].get("note"), \
                    "arbitrage"
            test = (writer, passage["doc"]) in TEST_DOCUMENTS
            name = TEST_SET[writer] if test else DEV_SET[writer]
            role = "test" if name in FROZEN else "dev"
            splits[name].append({
                "id": f"{role}-{pid}", "text": passage["text"], "section": passage["section"],
                "commune": passage.get("commune", commune),
                "famille": passage.get("famille", famille),
                "source": "questionnaire" if passage["doc"] == "questionnaire" else "programme",
                "document": passage["doc"], "themes": sorted(themes, key=lambda t: t["id"]),
                "labels": how, **({"note": note} if note else {}),
            })
        agreement[writer] = counts
    return splits, agreement


def _line(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="écrire dev.jsonl (et test.jsonl "
                        "s'il n'existe pas encore)")
    args = parser.parse_args(argv)
    splits, agreement = build()
    total = {k: sum(c[k] for c in agreement.values()) for k in next(iter(agreement.values()))}
    for writer, c in [*agreement.items(), ("tous", total)]:
        f1 = 2 * c["common"] / (c["units_a"] + c["units_b"])
        f1_stance = 2 * c["common_stance"] / (c["units_a"] + c["units_b"])
        print(f"{writer:>5} : {c['passages']} passages, passages identiques "
              f"{c['identical'] / c['passages']:.3f}, accord sur les thèmes (F1) {f1:.3f}, "
              f"thème et position {f1_stance:.3f}")
    stale = []
    for split, rows in splits.items():
        path = EVAL / f"{split}.jsonl"
        if args.write and (split not in FROZEN or not path.exists()):
            path.write_text(_line(rows), encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != _line(rows):
            stale.append(path.name)
    if stale:
        print(f"différent des sources : {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
