"""Entities and republication clusters on Reuters-21578, against its own tags.

usage: python benchmarks/eval_entities.py DIR [--json] [--sample-file PATH]
                                              [--files N]

Each story in DIR's reut2-*.sgm files is ingested as `newsindex index`
would (reader, `draft_article`, one spaCy model tagging batches of bodies),
and the articles go into an Archive, one `apply` per file. Then:

  people_found        stories' <PEOPLE> tags: share whose surname is the last
                      word of one of the story's person entities (or of a
                      surface form of one), both sides keyed by entity_key:
                      `james-baker` -> baker, `de-la-madrid` -> madrid
  orgs_found          stories' <ORGS> tags: share named by an org entity of
                      the story, as the acronym (`imf`, `ico-coffee` -> ico),
                      by its initials (`International Monetary Fund`) or run
                      together (`worldbank`: `World Bank`)
  duplicate_clusters  republication clusters with two or more stories
  true_copy_share     a seeded sample of 50 of them (written to
                      --sample-file): share where every member's text and
                      the earliest copy's share at least 60% of the smaller
                      one's word 5-shingles, counted exactly on the full
                      texts (title and body), not from the MinHash sketch
  stories             stories read
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from newsindex.archive import Archive, ClusterInfo
from newsindex.errors import IngestError
from newsindex.ingest.article import draft_article
from newsindex.ingest.entities import SpacyTagger
from newsindex.ingest.names import entity_key
from newsindex.ingest.outlet import OutletRegistry
from newsindex.pipeline import tag_drafts
from newsindex.records import Article, Skip
from newsindex.sources.base import ReaderOptions
from newsindex.sources.wire_sgml import read_sgml

_STORY = re.compile(r"<REUTERS\b.*?</REUTERS>", re.DOTALL)
_NEWID = re.compile(r'NEWID="(\d+)"')
_TAGS = {n: re.compile(rf"<{n}>(.*?)</{n}>", re.DOTALL) for n in ("PEOPLE", "ORGS")}
_D = re.compile(r"<D>(.*?)</D>")
_MINOR = frozenset({"of", "the", "and", "for", "on", "in", "to", "de", "&"})
_WORD = re.compile(r"[^\W_]+")
_SAMPLE = 50
_COPY_CONTAINMENT = 0.6
_TAG_BATCH = 256


def gold_tags(sgml: str) -> dict[str, dict[str, list[str]]]:
    """NEWID -> {"PEOPLE": [...], "ORGS": [...]} for each story of a file."""
    out = {}
    for story in _STORY.findall(sgml):
        newid = _NEWID.search(story)
        if newid is None:
            continue
        tags = {}
        for name, pattern in _TAGS.items():
            found = pattern.search(story)
            tags[name] = _D.findall(found.group(1)) if found else []
        out[newid.group(1)] = tags
    return out


def person_found(tag: str, article: Article) -> bool:
    """Whether a <PEOPLE> tag's surname ends one of the article's person names."""
    surname = entity_key(tag.split("-")[-1], "person")
    for entity in article.entities:
        if entity.type != "person":
            continue
        names = [entity.key] + [entity_key(v, "person") for v in entity.variants]
        if any(n and n.split(" ")[-1] == surname for n in names):
            return True
    return False


def org_found(tag: str, article: Article) -> bool:
    """Whether an <ORGS> tag is one of the article's organisations."""
    acronym = tag.split("-")[0]  # `ico-coffee`: the ICO of coffee
    for entity in article.entities:
        if entity.type != "org":
            continue
        for key in [entity.key] + [entity_key(v, "org") for v in entity.variants]:
            initials = "".join(w[0] for w in key.split(" ") if w and w not in _MINOR)
            if acronym in (key.replace(" ", ""), initials):
                return True
    return False


def read_articles(
    path: Path, tagger: SpacyTagger, registry: OutletRegistry
) -> Iterator[tuple[Article, dict[str, list[str]]]]:
    """Each story of one file as an Article with entities, beside its tags."""
    data = path.read_bytes()
    gold = gold_tags(data.decode("latin-1"))
    drafts = []
    for item in read_sgml(
        data, path=path, display_path=path.name, options=ReaderOptions()
    ):
        if isinstance(item, Skip):
            continue
        try:
            drafts.append(draft_article(item, registry))
        except IngestError:
            continue
    for start in range(0, len(drafts), _TAG_BATCH):
        for article in tag_drafts(drafts[start : start + _TAG_BATCH], tagger):
            yield article, gold.get(article.source.docno or "", {})


def shingles(text: str) -> set[str]:
    """Word 5-shingles of a text, lower-cased."""
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}


def judge(info: ClusterInfo, texts: dict[str, str]) -> tuple[bool, list[float]]:
    """A cluster is true copies if each member contains, or is contained in, the
    earliest copy at `_COPY_CONTAINMENT` or more (exact shingle sets)."""
    first = shingles(texts[info.earliest])
    scores = []
    for member in info.members[1:]:
        other = shingles(texts[member.article_id])
        smaller = min(len(first), len(other))
        scores.append(len(first & other) / smaller if smaller else 0.0)
    return all(s >= _COPY_CONTAINMENT for s in scores), scores


def evaluate(directory: Path, sample_file: Path, files: int | None) -> dict[str, float]:
    tagger = SpacyTagger(batch_size=64)
    registry = OutletRegistry.default()
    counts = dict.fromkeys(("stories", "people", "people_hit", "orgs", "orgs_hit"), 0)
    texts: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive.open(Path(tmp))
        paths = sorted(directory.glob("reut2-*.sgm"))[:files]
        for generation, path in enumerate(paths, 1):
            batch = []
            for article, tags in read_articles(path, tagger, registry):
                counts["stories"] += 1
                for tag in tags.get("PEOPLE", ()):
                    counts["people"] += 1
                    counts["people_hit"] += person_found(tag, article)
                for tag in tags.get("ORGS", ()):
                    counts["orgs"] += 1
                    counts["orgs_hit"] += org_found(tag, article)
                texts[article.id] = f"{article.title or ''}\n{article.body}"
                batch.append(article)
            archive.apply(batch, [], generation)
            print(f"{path.name}: {len(batch)} stories", file=sys.stderr)
        infos = archive.clusters_of(texts)
        archive.close()
    clusters = {i.cluster_id: i for i in infos.values() if len(i.members) > 1}
    ids = sorted(clusters)
    sample = random.Random(0).sample(ids, min(_SAMPLE, len(ids)))
    true = 0
    with sample_file.open("w", encoding="utf-8") as out:
        for cluster_id in sample:
            info = clusters[cluster_id]
            ok, scores = judge(info, texts)
            true += ok
            verdict = "TRUE COPY" if ok else "NOT A COPY"
            out.write(f"== cluster {cluster_id}: {verdict}\n")
            for member, score in zip(info.members, [1.0, *scores], strict=True):
                head = " ".join(texts[member.article_id].split())[:160]
                out.write(
                    f"  {member.article_id} {member.published} "
                    f"containment={score:.2f}  {head}\n"
                )
    return {
        "people_found": _share(counts["people_hit"], counts["people"]),
        "orgs_found": _share(counts["orgs_hit"], counts["orgs"]),
        "duplicate_clusters": len(clusters),
        "true_copy_share": _share(true, len(sample)),
        "stories": counts["stories"],
    }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--json", action="store_true", help="one JSON object last")
    parser.add_argument(
        "--sample-file",
        type=Path,
        default=Path(tempfile.gettempdir()) / "eval_entities_clusters.txt",
        help="where the 50 sampled clusters are written",
    )
    parser.add_argument("--files", type=int, help="read only the first N files")
    args = parser.parse_args()
    if not args.directory.is_dir():
        print(f"error: not a directory: {str(args.directory)!r}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    figures = evaluate(args.directory, args.sample_file, args.files)
    elapsed = time.perf_counter() - started
    for key, value in figures.items():
        shown = (
            f"{value:.2%}"
            if key != "stories" and key != "duplicate_clusters"
            else str(value)
        )
        print(f"{key:>18}  {shown}")
    print(f"{'seconds':>18}  {elapsed:.1f}")
    print(
        f"true copies judged on exact word 5-shingle containment >= "
        f"{_COPY_CONTAINMENT:.0%} of each member with the earliest copy; "
        f"sample in {str(args.sample_file)!r}"
    )
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
