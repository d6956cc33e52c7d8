"""Names the extractor recognises as what they are: studios, networks, services, publishers.

Two sources, both plain data (so a :class:`Gazetteer` pickles and can go to worker
processes):

* **The catalogue** (:meth:`Gazetteer.from_db`): every studio and licensor tag of the built
  database. A name found in text that the catalogue knows as a studio is a studio, whatever
  verb stands beside it ("Madhouse made season one").
* **A small built-in vocabulary** of the kinds of names the catalogue does not hold, listed
  here so that what is recognised is visible and reviewable: Japanese TV networks, streaming
  services, and the publishers, imprints and magazines of the source works. It is not a list
  of shows or of anything one article says; it names the industry's distributors.

Matching is on word boundaries and case-sensitive for the catalogue's names (so the studio
"Drive" is not the verb "drive" at the start of nothing but a capital), case-insensitive for
the vocabulary's multi-word names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..store.catalogue import tag_names
from ..store.conn import Conn

__all__ = ["Gazetteer", "NETWORKS", "STREAMERS", "PUBLISHERS", "MAGAZINES", "STUDIO_WORDS"]

#: Japanese broadcasters that air anime
NETWORKS = ("Tokyo MX", "TOKYO MX", "MBS", "TBS", "BS11", "BS Fuji", "BS Asahi", "BS NTV",
            "Fuji TV", "TV Tokyo", "TV Asahi", "Nippon TV", "NTV", "AT-X", "Sun TV", "KBS Kyoto",
            "NHK", "NHK Educational TV", "NHK Educational", "NHK General", "NHK E", "Animax",
            "Tokyo Broadcasting System", "ABC TV",
            "CBC", "Kansai TV", "Yomiuri TV", "TV Aichi", "TVA", "Teletama", "Chiba TV", "tvk",
            "Mainichi Broadcasting System", "Asahi Broadcasting", "Toonami", "Adult Swim",
            "Cartoon Network", "Noitamina", "noitaminA", "NUMAnimation", "AnimeIsm",
            "Super Animeism", "IMAnimation")
#: services that stream (and license) anime outside Japan
STREAMERS = ("Crunchyroll", "Funimation", "Netflix", "HIDIVE", "Hulu", "Amazon Prime Video",
             "Prime Video", "Disney+", "Disney Plus", "Muse Asia", "Ani-One", "Bilibili",
             "VRV", "Aniplus", "Aniplex of America", "Sentai Filmworks", "Viz Media",
             "VIZ Media", "Yen Press", "Seven Seas", "Kodansha USA", "Discotek",
             "Medialink", "Wakanim", "Anime Digital Network", "AnimeLab", "Tubi")
#: publishers and imprints of manga and light novels
PUBLISHERS = ("Shueisha", "Kodansha", "Shogakukan", "Kadokawa", "ASCII Media Works",
              "Media Factory", "Square Enix", "Hakusensha", "Akita Shoten", "Futabasha",
              "Ichijinsha", "Mag Garden", "Hobby Japan", "SB Creative", "Overlap", "Shinchosha",
              "Tokuma Shoten", "Enterbrain", "Houbunsha", "Gentosha", "Dengeki Bunko",
              "Kadokawa Sneaker Bunko", "Sneaker Bunko", "Fujimi Fantasia Bunko", "MF Bunko J",
              "GA Bunko", "HJ Bunko", "Kodansha Ranobe Bunko", "Gagaga Bunko", "Shueisha Dash X",
              "Dash X Bunko", "Overlap Bunko", "Kakuyomu", "Shōsetsuka ni Narō",
              "Shosetsuka ni Naro", "Naver Webtoon", "KakaoPage", "Kakao Page", "D&C Media",
              "Alphapolis", "Earth Star Entertainment", "Micro Magazine", "Takeshobo")
#: magazines (and web magazines) that serialise manga
MAGAZINES = ("Weekly Shōnen Jump", "Weekly Shonen Jump", "Shōnen Jump+", "Shonen Jump+",
             "Jump SQ", "Jump Square", "V Jump", "Weekly Young Jump", "Young Jump",
             "Monthly Shōnen Magazine", "Monthly Shonen Magazine", "Weekly Shōnen Magazine",
             "Weekly Shonen Magazine", "Bessatsu Shōnen Magazine", "Bessatsu Shonen Magazine",
             "Afternoon", "good! Afternoon", "Morning", "Young Magazine",
             "Weekly Shōnen Sunday", "Weekly Shonen Sunday", "Monthly Shōnen Sunday",
             "Big Comic Spirits", "Monthly Shōnen Gangan", "Monthly Shonen Gangan",
             "Gangan Online", "Young Gangan", "Monthly Comic Alive", "Comic Flapper",
             "Monthly Comic Gene", "Hana to Yume", "LaLa", "Ribon", "Nakayoshi",
             "Young Animal", "Manga Time Kirara", "Manga Time Kirara Max", "Dengeki Daioh",
             "Monthly Dragon Age", "Shōnen Ace", "Shonen Ace", "Young Ace", "Comic Zenon",
             "Magazine Pocket", "Manga One", "Ura Sunday", "Tonari no Young Jump",
             "Weekly Young Magazine", "Comic Yuri Hime", "Sho-Comi", "Monthly Sunday Gene-X")
#: words that end (or start) a studio's name: "White Fox Studio", "Studio Bind", "A-1 Pictures"
STUDIO_WORDS = ("Studio", "Studios", "Pictures", "Animation", "Animation Studio", "Works",
                "Production", "Productions", "Film", "Films", "Entertainment")


def _alternation(names: tuple[str, ...] | list[str]) -> re.Pattern[str] | None:
    names = sorted({n for n in names if n}, key=len, reverse=True)
    if not names:
        return None
    body = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w&+-])(?:{body})(?![\w&+-]|\+)")


@dataclass(frozen=True)
class Gazetteer:
    """Known names by kind; picklable (plain tuples), compiled lazily per process."""

    studios: tuple[str, ...] = ()
    licensors: tuple[str, ...] = ()
    _cache: dict[str, re.Pattern[str] | None] = field(
        default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_db(cls, conn: Conn) -> Gazetteer:
        """The catalogue's studio and licensor names (at least 2 characters)."""
        rows = tag_names(conn, ("studio", "licensor"))
        # A studio tag that is also a network or publisher of the vocabulary ("NHK",
        # "Shueisha": MAL lists broadcasters and publishers as studios of some entries) is
        # that, not a studio; a name with no capital ("drop") is matched case-sensitively
        # against ordinary lowercase words, so it cannot be told apart from them.
        other = set(NETWORKS) | set(STREAMERS) | set(PUBLISHERS) | set(MAGAZINES)
        studios = tuple(sorted({r[1] for r in rows if r[0] == "studio" and len(r[1]) > 1
                                and r[1] not in other and r[1] != r[1].lower()}))
        licensors = tuple(sorted({r[1] for r in rows if r[0] == "licensor" and len(r[1]) > 1}))
        return cls(studios, licensors)

    def __getstate__(self) -> dict[str, object]:
        return {"studios": self.studios, "licensors": self.licensors}

    def __setstate__(self, state: dict[str, object]) -> None:
        object.__setattr__(self, "studios", state["studios"])
        object.__setattr__(self, "licensors", state["licensors"])
        object.__setattr__(self, "_cache", {})

    def pattern(self, kind: str) -> re.Pattern[str] | None:
        """One compiled alternation of the names of ``kind`` (studio, network, streamer,
        publisher, magazine)."""
        if kind not in self._cache:
            names: tuple[str, ...] = {
                "studio": self.studios, "network": NETWORKS,
                "streamer": STREAMERS + self.licensors, "publisher": PUBLISHERS,
                "magazine": MAGAZINES}[kind]
            self._cache[kind] = _alternation(names)
        return self._cache[kind]

    def find(self, kind: str, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of every name of ``kind`` in ``text``.

        A one-word studio name that stands inside a longer run of capitalised words is part
        of a title, not a mention of the studio ("Princess Connect Re Dive", "Movie: Code:
        White"); "Studio Bones" still counts (a studio word beside it)."""
        rx = self.pattern(kind)
        if rx is None:
            return []
        found = [(m.start(), m.end(), m.group()) for m in rx.finditer(text)]
        if kind != "studio":
            return found
        return [f for f in found if " " in f[2] or not _in_title(text, f[0], f[1])]


_BESIDE_A_STUDIO = frozenset(STUDIO_WORDS) | {"Inc", "Co", "Ltd"}
_PREV_WORD = re.compile(r"([A-Z][\w'’.-]*)[:\-–]?\s+$")
_NEXT_WORD = re.compile(r"^[:\-–]?\s+([A-Z][\w'’.-]*)")


def _in_title(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` beside another capitalised word (not a studio word)?"""
    before = _PREV_WORD.search(text[max(0, start - 40):start])
    after = _NEXT_WORD.match(text[end:end + 40])
    return any(m is not None and m.group(1).rstrip(".:,") not in _BESIDE_A_STUDIO
               for m in (before, after))


#: the built-in vocabulary alone (no catalogue)
DEFAULT = Gazetteer()
