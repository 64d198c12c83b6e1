#!/usr/bin/env python3
"""Generates the demo data set src/main/resources/seed/books.json.

Every book is invented: titles, authors and descriptions are combined from the word lists below
(no real catalogue is copied); ISBN-13s carry valid check digits; prices are 5-60 EUR; stock is
0-50 with a handful of books at 0-2 copies so the demo can run out of stock. Deterministic (fixed
random seed): running it again gives the same file.

    python3 functions/catalog/tools/generate_seed.py > functions/catalog/src/main/resources/seed/books.json
"""
import json
import random
import sys

COUNT = 320
rng = random.Random(20261124)

FIRST = """Ada Alma Amara Anders Ansel Aurelie Bastian Beatrix Benedikt Birgit Bram Calla Cassius
Celeste Corin Dagny Dario Delphine Eamon Edda Elio Elsbeth Emeric Esme Fabian Fenna Florin Freya
Gideon Greta Hale Hanne Ilse Imre Ines Isolde Jarek Jonas Juno Kasimir Katrin Lasse Leonie Linnea
Lorcan Lucien Maren Marit Matthias Mirela Nadia Niamh Nils Odile Oskar Petra Quentin Ragna Rafael
Rosalind Rune Saskia Sebastien Selma Soren Tamsin Teodor Thea Tobias Ulla Valentin Vera Wilhelmina
Yara Yusuf Zelda Zoran""".split()

LAST = """Aalto Abernathy Achterberg Albrecht Almeida Arkwright Ashdown Baumgartner Bellweather
Blackwood Brandvold Castellan Corrigan Dalgaard Delacroix Drummond Eberhardt Ellingsen Falkner
Fairbrook Ferreira Gallagher Greenhalgh Haldane Hartmann Holmgren Ivanova Jansson Kestrel Kowalczyk
Lachance Lindqvist Marchetti Merriweather Moravec Nightingale Novak Okonkwo Ostrander Pemberton
Quillfeather Ravensworth Rinaldi Rosenthal Saltmarsh Sandoval Schofield Silverton Sorensen Stavros
Thornbury Underhill Valcourt Vandermeer Wainwright Westergaard Whitlock Winterbourne Yardley
Zabini Zeller""".split()

ADJ = """Silent Hollow Crimson Forgotten Burning Glass Quiet Northern Salt Iron Paper Distant Broken
Lantern Amber Winter Sunken Copper Restless Wandering Hidden Last Velvet Tidal Midnight Painted
Autumn Silver Drowned Open""".split()

NOUN = """Harbour Orchard Lighthouse Garden Archive River Cartographer Clockmaker Bridge Meadow Tide
Atlas Lantern Observatory Compass Ferryman Library Valley Island Mountain Cathedral Station
Beekeeper Vineyard Tower Map Letters Orchestra Forest Kingdom""".split()

PLACE = """Kerrow|Vellmark|Brightwater|Lindenfels|Marrow Bay|Saltcombe|Ashgrove|Coldharbour|
Eastmere|Thornfield|Windholm|Calder Isle|Port Sorrel|Greywick|Halloran|Mirefield|Oakhollow|
Stormhaven""".replace("\n", "").split("|")

# places a story can be set in or around (for "the {thing}" in descriptions)
THINGS = """harbour orchard lighthouse garden archive bookshop bridge bakery observatory library
vineyard ferry station boathouse theatre hotel""".split()

TOPICS = """Rivers|Bread|Typography|Clocks|Bees|Maps|Salt|Bridges|Glass|Tea|Lighthouses|Gardens|
Numbers|Memory|Sleep|Weather|Cities|Trains|Paper|Colour|Ships|Forests|Mushrooms|Stars|Soil|
Silence|Handwriting|Rain|Islands|Kitchens""".replace("\n", "").split("|")

SKILLS = """Baking|Walking|Listening|Drawing|Negotiation|Gardening|Sailing|Bookbinding|Fermentation|
Public Speaking|Note-Taking|Woodworking|Cartography|Birdwatching|Letter Writing|Mending|
Beekeeping|Slow Travel""".replace("\n", "").split("|")

TECH = """Distributed Systems|Event-Driven Architecture|Functional Programming|Database Internals|
Compilers|Network Protocols|Cloud Native Java|Stream Processing|Software Design|Concurrency|
Observability|API Design|Testing|Type Systems|Search Engines|Message Queues""".replace(
    "\n", "").split("|")



def plural(noun):
    if noun.endswith("s"):
        return noun
    if noun.endswith("man"):
        return noun[:-3] + "men"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


GENRES = {
    "novel": {
        "titles": [
            lambda f: f"The {rng.choice(ADJ)} {rng.choice(NOUN)}",
            lambda f: f"The {f['Thing']} of {f['place']}",
            lambda f: f"A {f['Thing']} in {f['place']}",
            lambda f: f"{rng.choice(ADJ)} {plural(rng.choice(NOUN))}",
            lambda f: f"Letters from {f['place']}",
            lambda f: f"The Last Summer in {f['place']}",
        ],
        "opening": [
            "When {who} returns to {place} after twenty years, the {thing} she left behind is waiting.",
            "In the winter the {thing} closed, {who} began to write everything down.",
            "{who} inherits a {thing} on the edge of {place}, and with it a debt nobody will name.",
            "Three generations of one family keep a {thing} alive in {place} while the town changes around them.",
            "A missing ledger, a flooded {thing} and a neighbour who knows too much: {who} has one season to put things right.",
        ],
        "middle": [
            "Told in alternating voices, it is a story about what we owe the places that made us.",
            "Tender, funny and unsentimental, it follows a friendship across four decades.",
            "It is a quiet novel about grief, stubbornness and the small kindnesses of strangers.",
            "Part family saga, part mystery, it moves between the 1960s and the present day.",
            "A novel about work, weather and the people who stay.",
        ],
    },
    "crime": {
        "titles": [
            lambda f: f"Death at the {f['Thing']}",
            lambda f: f"The {f['place']} Affair",
            lambda f: f"A {rng.choice(ADJ)} Verdict",
            lambda f: f"Murder in {f['place']}",
            lambda f: f"The {rng.choice(ADJ)} Witness",
        ],
        "opening": [
            "Inspector {who} is three weeks from retirement when a body is found beneath the {thing} in {place}.",
            "A locked room above the {thing}, a stopped clock and a guest list of seven: {who} has until the tide turns.",
            "When the harbourmaster of {place} disappears, {who} is the only one who thinks it was not an accident.",
            "A cold case reopens in {place}, and {who} finds her own name in the file.",
        ],
        "middle": [
            "A tightly plotted mystery with a solution hidden in plain sight.",
            "Atmospheric and sharply observed, the first in a series.",
            "A puzzle in the classic tradition, with a very modern detective.",
            "Fast, clever and full of misdirection.",
        ],
    },
    "fantasy": {
        "titles": [
            lambda f: f"The {rng.choice(ADJ)} Crown",
            lambda f: f"Song of the {rng.choice(NOUN)}",
            lambda f: f"The Dragon of {f['place']}",
            lambda f: f"Daughter of the {rng.choice(ADJ)} Sea",
            lambda f: f"The {rng.choice(NOUN)} at the End of the World",
        ],
        "opening": [
            "In a kingdom where maps redraw themselves at night, a young mapmaker named {who} finds a country that should not exist.",
            "The dragons of {place} have slept for a thousand years; {who} has just heard one breathe.",
            "{who} is a thief, a forger and, as of this morning, the heir to the {thing} of {place}.",
            "Every seventh winter the sea gives something back to {place}. This year it is {who}.",
        ],
        "middle": [
            "An epic of magic, loyalty and the price of power.",
            "Witty, inventive and full of heart, the opening of a trilogy.",
            "A standalone fantasy about found family and old bargains.",
            "Lush worldbuilding and a heist at its centre.",
        ],
    },
    "science-fiction": {
        "titles": [
            lambda f: f"The {rng.choice(ADJ)} Orbit",
            lambda f: f"Signal from {f['place']}",
            lambda f: f"The Long {rng.choice(['Dark', 'Drift', 'Return', 'Quiet', 'Night'])}",
            lambda f: f"Station {rng.choice(['Nine', 'Eleven', 'Kestrel', 'Halcyon', 'Meridian'])}",
            lambda f: f"After the {rng.choice(NOUN)}",
        ],
        "opening": [
            "The generation ship has been travelling for three hundred years when {who} discovers the course was changed.",
            "On a research station above a frozen moon, {who} receives a message sent tomorrow.",
            "The last working reactor on Earth is in {place}, and {who} has been hired to repair it.",
            "{who} wakes from cryosleep to find the crew gone and the ship's garden in full bloom.",
        ],
        "middle": [
            "Hard science and a deeply human story about time and memory.",
            "A thoughtful, unsettling novel about first contact.",
            "Clever, fast-moving and surprisingly funny.",
            "A quiet apocalypse told from the inside.",
        ],
    },
    "history": {
        "titles": [
            lambda f: f"A Short History of {f['Topic']}",
            lambda f: f"{f['Topic']}: A History",
            lambda f: f"The Age of {f['Topic']}",
            lambda f: f"How {f['Topic']} Made the Modern World",
        ],
        "opening": [
            "From ancient trade routes to the present day, this book traces how {topic} shaped the way we live.",
            "A lively account of {topic} told through the lives of the people who made, used and fought over it.",
            "Drawing on archives across Europe, the author follows {topic} through five centuries.",
        ],
        "middle": [
            "Rich in anecdote and detail, it is popular history at its most readable.",
            "An accessible, illustrated introduction for curious readers.",
            "A surprising story of invention, accident and obsession.",
        ],
    },
    "craft": {
        "titles": [
            lambda f: f"The Art of {f['Skill']}",
            lambda f: f"{f['Skill']} for Beginners",
            lambda f: f"A Year of {f['Skill']}",
            lambda f: f"The Joy of {f['Skill']}",
        ],
        "opening": [
            "A practical and warm-hearted guide to {skill}, from the first steps to confident practice.",
            "Month by month, this book shows how to make {skill} part of everyday life.",
            "With clear instructions and many illustrations, the author shares thirty years of {skill}.",
        ],
        "middle": [
            "Includes projects, checklists and advice for common mistakes.",
            "For complete beginners and for anyone who wants to start again.",
            "A calm, encouraging book to keep on the kitchen table.",
        ],
    },
    "computing": {
        "titles": [
            lambda f: f"{f['Tech']} in Practice",
            lambda f: f"Designing {f['Tech']}",
            lambda f: f"Understanding {f['Tech']}",
            lambda f: f"{f['Tech']}: A Practical Guide",
            lambda f: f"The Pragmatic Guide to {f['Tech']}",
        ],
        "opening": [
            "A hands-on introduction to {tech} for working developers, with examples you can run.",
            "This book explains the ideas behind {tech} and the trade-offs that matter in production.",
            "From first principles to real systems, a clear guide to {tech}.",
        ],
        "middle": [
            "Covers failure modes, testing and operating what you build.",
            "Each chapter ends with exercises and further reading.",
            "Written for engineers who want to understand, not just configure.",
        ],
    },
    "children": {
        "titles": [
            lambda f: f"The Little {rng.choice(NOUN)}",
            lambda f: f"{f['who']} and the {rng.choice(ADJ)} {f['Thing']}",
            lambda f: f"Where the {plural(rng.choice(NOUN))} Sleep",
            lambda f: f"The {rng.choice(NOUN)} Who Wanted to Fly",
        ],
        "opening": [
            "A picture book about a small {thing} with a very big idea.",
            "{who} has never seen the sea, until the night the old {thing} comes to life.",
            "A bedtime story about friendship, courage and a lost key to the {thing}.",
        ],
        "middle": [
            "For readers aged four to eight, with bright full-colour illustrations.",
            "A gentle adventure to read aloud.",
            "Funny, warm and perfect for sharing.",
        ],
    },
}

GENRE_WEIGHTS = {
    "novel": 22, "crime": 16, "fantasy": 14, "science-fiction": 12,
    "history": 12, "craft": 8, "computing": 10, "children": 6,
}

PRICE_BANDS = {
    "novel": (9, 24), "crime": (8, 20), "fantasy": (10, 28), "science-fiction": (9, 26),
    "history": (14, 38), "craft": (12, 32), "computing": (29, 59), "children": (5, 16),
}


def isbn13(prefix):
    while True:
        body = prefix + "".join(str(rng.randrange(10)) for _ in range(12 - len(prefix)))
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
        return body + str((10 - total % 10) % 10)


def author():
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def book(genre):
    g = GENRES[genre]
    fill = {
        "who": rng.choice(FIRST),
        "place": rng.choice(PLACE),
        "thing": rng.choice(THINGS),
        "Topic": rng.choice(TOPICS),
        "Skill": rng.choice(SKILLS),
        "Tech": rng.choice(TECH),
    }
    fill["Thing"] = fill["thing"].capitalize()
    fill["topic"] = fill["Topic"].lower()
    fill["skill"] = fill["Skill"].lower()
    fill["tech"] = fill["Tech"]
    title = rng.choice(g["titles"])(fill)
    description = (rng.choice(g["opening"]).format(**fill) + " " + rng.choice(g["middle"]))
    authors = [author()] if rng.random() < 0.85 else [author(), author()]
    low, high = PRICE_BANDS[genre]
    euros = rng.randint(low, high)
    cents = euros * 100 + rng.choice([0, 50, 95, 99, 99, 99])
    cents = max(500, min(6000, cents))
    year = rng.randint(1995, 2025) if genre != "history" else rng.randint(1985, 2025)
    return {
        "title": title,
        "authors": authors,
        "description": description,
        "publishedYear": year,
        "price": {"cents": cents, "currency": "EUR"},
    }


def main():
    genres = [g for g, w in GENRE_WEIGHTS.items() for _ in range(w)]
    books, isbns, titles = [], set(), set()
    while len(books) < COUNT:
        b = book(rng.choice(genres))
        if b["title"] in titles:
            continue
        isbn = isbn13(rng.choice(["978", "978", "978", "979"]))
        if isbn in isbns:
            continue
        titles.add(b["title"])
        isbns.add(isbn)
        books.append({"isbn": isbn, **b})
    # Most books well stocked; a handful nearly or fully sold out, so the demo meets out-of-stock.
    scarce = set(rng.sample(range(COUNT), 12))
    for i, b in enumerate(books):
        b["stock"] = rng.randint(0, 2) if i in scarce else rng.randint(3, 50)
    json.dump(books, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
