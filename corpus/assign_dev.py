"""Move a fixed share of the train writers' documents to the dev split, by id hash.

Run once after writing: `python corpus/assign_dev.py corpus/a.jsonl ...`. A document goes to
dev when the SHA-256 of its id is divisible by 5 (about 20%); the choice depends on nothing
but the id, so it is reproducible and blind to the text and labels. Test-split files are
left untouched.
"""
import hashlib
import json
import sys


def is_dev(doc_id: str) -> bool:
    return int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % 5 == 0


def main(paths):
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            docs = [json.loads(line) for line in fh if line.strip()]
        for doc in docs:
            if doc["split"] in ("train", "dev"):
                doc["split"] = "dev" if is_dev(doc["id"]) else "train"
        with open(path, "w", encoding="utf-8") as fh:
            for doc in docs:
                fh.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
