#!/usr/bin/env python3
"""Retrieval quality of a running Loci server on LoCoMo conversations.

Loads each conversation of a LoCoMo file (the benchmark's own JSON format) into the server
through POST /memory/store, one user per conversation and one Loci session per LoCoMo session,
then asks every question through POST /memory/search in each mode and compares the returned
turns' `metadata.dia_id` with the question's evidence:

  Recall@k  share of a question's evidence turns in the top k, averaged over questions
  All@10    share of questions with all their evidence in the top 10
  MRR       mean of 1 / rank of the first evidence turn (0 when none is in the top --depth)

Categories 1-4 (multi-hop, temporal, open-domain, single-hop) make the overall figure;
category 5 (adversarial) is reported apart.

Each turn becomes a message with `name` = its speaker, `created_at` = its session's date
(all turns of a session share it; their order is the order they are stored in),
`metadata.dia_id`, and role `user` for both speakers (two people talking, neither an
assistant). A turn that shared a picture keeps the picture's caption after its text,
as "[shares a photo: …]", unless --no-captions.

Python 3 standard library only. Usage:
  eval/locomo.py --url http://127.0.0.1:8420 path/to/locomo.json [--modes fulltext,hybrid]
"""

import argparse
import datetime
import json
import re
import sys
import urllib.error
import urllib.request

CATEGORY_NAMES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop",
                  5: "adversarial"}
KS = (1, 5, 10, 20)
STORE_BATCH = 1000  # the most messages one store call accepts
EVIDENCE_ID = re.compile(r"D\s*:?\s*(\d+)\s*:\s*(\d+)")


class ApiError(Exception):
    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body}")
        self.status = status
        self.body = body


def post(url, path, body, api_key):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode("utf-8"),
                                     method="POST",
                                     headers={"Content-Type": "application/json"})
    if api_key:
        request.add_header("Authorization", "Bearer " + api_key)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise ApiError(error.code, error.read().decode("utf-8", "replace")) from None


def session_time(text):
    """'1:56 pm on 8 May, 2023' -> '2023-05-08T13:56:00.000Z'."""
    moment = datetime.datetime.strptime(text.strip(), "%I:%M %p on %d %B, %Y")
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def sessions_of(conversation):
    """[(number, date text, turns)] in session order."""
    found = []
    for key, turns in conversation.items():
        match = re.fullmatch(r"session_(\d+)", key)
        if match and isinstance(turns, list) and turns:
            number = int(match.group(1))
            found.append((number, conversation[f"session_{number}_date_time"], turns))
    return sorted(found)


def turn_content(turn, captions):
    content = turn["text"]
    if captions and turn.get("blip_caption"):
        content += f" [shares a photo: {turn['blip_caption']}]"
    return content


def load(url, api_key, user_id, conversation, captions):
    """Stores every turn; returns the set of dia_ids stored."""
    stored = set()
    for number, date_text, turns in sessions_of(conversation):
        created_at = session_time(date_text)
        messages = [{"role": "user", "name": turn["speaker"],
                     "content": turn_content(turn, captions), "created_at": created_at,
                     "metadata": {"dia_id": turn["dia_id"]},
                     "idempotency_key": turn["dia_id"]} for turn in turns]
        for start in range(0, len(messages), STORE_BATCH):
            post(url, "/memory/store", {"user_id": user_id, "session_id": f"session_{number}",
                                        "messages": messages[start:start + STORE_BATCH]},
                 api_key)
        stored.update(turn["dia_id"] for turn in turns)
    return stored


def evidence_of(question, dia_ids):
    """The question's evidence ids, malformed strings split and normalized, unknown ids
    dropped: "D8:6; D9:17", "D:11:26" and "D30:05" all name turns."""
    found = []
    for entry in question.get("evidence", []):
        for match in EVIDENCE_ID.finditer(str(entry)):
            dia_id = f"D{int(match.group(1))}:{int(match.group(2))}"
            if dia_id in dia_ids and dia_id not in found:
                found.append(dia_id)
    return found


def search(url, api_key, user_id, query, mode, depth):
    body = {"user_id": user_id, "query": query, "mode": mode, "limit": depth}
    results = post(url, "/memory/search", body, api_key)["results"]
    return [result["message"].get("metadata", {}).get("dia_id") for result in results]


class Tally:
    def __init__(self):
        self.questions = 0
        self.recall = {k: 0.0 for k in KS}
        self.all10 = 0
        self.reciprocal_rank = 0.0

    def add(self, ranked, evidence):
        self.questions += 1
        wanted = set(evidence)
        for k in KS:
            self.recall[k] += len(wanted & set(ranked[:k])) / len(wanted)
        self.all10 += wanted <= set(ranked[:10])
        for rank, dia_id in enumerate(ranked, start=1):
            if dia_id in wanted:
                self.reciprocal_rank += 1.0 / rank
                break

    def row(self):
        n = max(self.questions, 1)
        return {"n": self.questions, **{f"R@{k}": self.recall[k] / n for k in KS},
                "All@10": self.all10 / n, "MRR": self.reciprocal_rank / n}


def print_table(mode, tallies):
    columns = ["n"] + [f"R@{k}" for k in KS] + ["All@10", "MRR"]
    print(f"\nmode {mode}")
    print(f"  {'category':<18}" + "".join(f"{c:>8}" for c in columns))
    for label, tally in tallies.items():
        row = tally.row()
        cells = [f"{row['n']:>8}"] + [f"{row[c]:>8.3f}" for c in columns[1:]]
        print(f"  {label:<18}" + "".join(cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", help="the LoCoMo JSON file")
    parser.add_argument("--url", default="http://127.0.0.1:8420")
    parser.add_argument("--api-key", default="", help="an app key, when the server needs one")
    parser.add_argument("--modes", default="fulltext,semantic,hybrid")
    parser.add_argument("--user-prefix", default="locomo-")
    parser.add_argument("--depth", type=int, default=100,
                        help="results asked per search (at most 100); MRR counts within it")
    parser.add_argument("--no-captions", dest="captions", action="store_false")
    parser.add_argument("--skip-load", action="store_true", help="the users are loaded already")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    with open(args.data, encoding="utf-8") as file:
        samples = json.load(file)
    users = []
    for sample in samples:
        user_id = args.user_prefix + str(sample["sample_id"])
        if args.skip_load:
            dia_ids = {t["dia_id"] for _, _, turns in sessions_of(sample["conversation"])
                       for t in turns}
        else:
            dia_ids = load(args.url, args.api_key, user_id, sample["conversation"], args.captions)
        users.append((user_id, sample, dia_ids))
        print(f"{user_id}: {len(dia_ids)} turns, {len(sample['qa'])} questions", file=sys.stderr)

    figures = {}
    for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
        tallies = {"overall (1-4)": Tally()}
        tallies.update({f"{c} {CATEGORY_NAMES[c]}": Tally() for c in sorted(CATEGORY_NAMES)})
        skipped = 0
        try:
            for user_id, sample, dia_ids in users:
                for question in sample["qa"]:
                    evidence = evidence_of(question, dia_ids)
                    if not evidence:
                        skipped += 1
                        continue
                    ranked = search(args.url, args.api_key, user_id, question["question"], mode,
                                    args.depth)
                    category = int(question["category"])
                    tallies[f"{category} {CATEGORY_NAMES[category]}"].add(ranked, evidence)
                    if category != 5:
                        tallies["overall (1-4)"].add(ranked, evidence)
        except ApiError as error:
            print(f"\nmode {mode}: not available ({error})")
            continue
        print_table(mode, tallies)
        if skipped:
            print(f"  ({skipped} questions without evidence that names a turn left out)")
        figures[mode] = {label: tally.row() for label, tally in tallies.items()}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as file:
            json.dump(figures, file, indent=2)
    return 0 if figures else 1


if __name__ == "__main__":
    sys.exit(main())
