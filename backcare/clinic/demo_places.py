"""The demo clinic's 23 locations across Australia's time zones, and its 40 practitioners.

Sample data only. Streets and suburbs are real places; the numbers are in the ranges the
Australian Communications and Media Authority keeps for fiction ((0x) 5550 xxxx), so nobody's
phone rings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    name: str
    street: str
    suburb: str
    state: str
    postcode: str
    timezone: str
    phone: str
    hours: str = "city"  # which opening hours: city, suburban, regional or tropical

    @property
    def address(self) -> str:
        return f"{self.street}, {self.suburb} {self.state} {self.postcode}"


MEL, SYD, HBA = "Australia/Melbourne", "Australia/Sydney", "Australia/Hobart"
BNE, ADL, DRW, PER = (
    "Australia/Brisbane",
    "Australia/Adelaide",
    "Australia/Darwin",
    "Australia/Perth",
)

PLACES = (
    Place("Richmond", "12 Swan Street", "Richmond", "VIC", "3121", MEL, "(03) 5550 1021"),
    Place("Brunswick", "301 Sydney Road", "Brunswick", "VIC", "3056", MEL, "(03) 5550 1056"),
    Place("Footscray", "88 Barkly Street", "Footscray", "VIC", "3011", MEL, "(03) 5550 1011",
          "suburban"),
    Place("St Kilda", "145 Acland Street", "St Kilda", "VIC", "3182", MEL, "(03) 5550 1182"),
    Place("Box Hill", "20 Station Street", "Box Hill", "VIC", "3128", MEL, "(03) 5550 1128",
          "suburban"),
    Place("Geelong", "210 Moorabool Street", "Geelong", "VIC", "3220", MEL, "(03) 5550 1220",
          "regional"),
    Place("Surry Hills", "402 Crown Street", "Surry Hills", "NSW", "2010", SYD, "(02) 5550 2010"),
    Place("Parramatta", "75 Church Street", "Parramatta", "NSW", "2150", SYD, "(02) 5550 2150",
          "suburban"),
    Place("Chatswood", "9 Victoria Avenue", "Chatswood", "NSW", "2067", SYD, "(02) 5550 2067"),
    Place("Bondi Junction", "330 Oxford Street", "Bondi Junction", "NSW", "2022", SYD,
          "(02) 5550 2022"),
    Place("Newcastle", "160 Hunter Street", "Newcastle", "NSW", "2300", SYD, "(02) 5550 2300",
          "regional"),
    Place("Hobart", "56 Elizabeth Street", "Hobart", "TAS", "7000", HBA, "(03) 5550 7000",
          "regional"),
    Place("Launceston", "31 Brisbane Street", "Launceston", "TAS", "7250", HBA, "(03) 5550 7250",
          "regional"),
    Place("Fortitude Valley", "240 Brunswick Street", "Fortitude Valley", "QLD", "4006", BNE,
          "(07) 5550 4006"),
    Place("Chermside", "680 Gympie Road", "Chermside", "QLD", "4032", BNE, "(07) 5550 4032",
          "suburban"),
    Place("Southport", "12 Nerang Street", "Southport", "QLD", "4215", BNE, "(07) 5550 4215",
          "suburban"),
    Place("Norwood", "175 The Parade", "Norwood", "SA", "5067", ADL, "(08) 5550 5067"),
    Place("Glenelg", "60 Jetty Road", "Glenelg", "SA", "5045", ADL, "(08) 5550 5045",
          "suburban"),
    Place("Prospect", "130 Prospect Road", "Prospect", "SA", "5082", ADL, "(08) 5550 5082",
          "suburban"),
    Place("Darwin", "44 Smith Street", "Darwin City", "NT", "0800", DRW, "(08) 5550 0800",
          "tropical"),
    Place("Subiaco", "118 Rokeby Road", "Subiaco", "WA", "6008", PER, "(08) 5550 6008"),
    Place("Fremantle", "25 Market Street", "Fremantle", "WA", "6160", PER, "(08) 5550 6160",
          "suburban"),
    Place("Joondalup", "90 Grand Boulevard", "Joondalup", "WA", "6027", PER, "(08) 5550 6027",
          "suburban"),
)  # fmt: skip

# Weekday (0 = Monday) -> (open, close) as "HH:MM"; a day missing is closed.
OPENING = {
    "city": {**dict.fromkeys(range(5), ("07:00", "19:30")), 5: ("08:00", "14:00")},
    "suburban": {**dict.fromkeys(range(5), ("07:30", "19:00")), 5: ("08:00", "13:00")},
    "regional": {**dict.fromkeys(range(5), ("08:00", "18:00")), 5: ("08:30", "12:30")},
    "tropical": dict.fromkeys(range(5), ("06:30", "17:00")),  # early, before the heat
}

# The working patterns a practitioner can have: weekday -> (start, end, break start, break end).
PATTERNS = (
    dict.fromkeys(range(5), ("08:00", "16:30", "12:00", "12:45")),
    dict.fromkeys((0, 1, 3, 4), ("09:00", "17:30", "13:00", "13:30")),
    {
        **dict.fromkeys((1, 2, 3), ("11:00", "19:00", "15:00", "15:30")),
        5: ("08:00", "13:00", "", ""),
    },
    dict.fromkeys((0, 2, 4), ("07:30", "15:30", "11:30", "12:00")),
    {**dict.fromkeys((0, 1, 2, 3), ("08:30", "17:00", "12:30", "13:15"))},
)

FIRST = (
    "Anika", "Ben", "Chiara", "Dev", "Eleanor", "Finn", "Georgia", "Hiro", "Imogen", "Jai",
    "Kate", "Luca", "Maddie", "Nikhil", "Olive", "Paulo", "Rosa", "Sione", "Tessa", "Vikram",
    "Willa", "Xavier", "Yasmin", "Zac", "Aroha", "Callum", "Dimitra", "Ethan", "Fatima", "Gus",
    "Harriet", "Isaac", "Jess", "Kwame", "Lena", "Marcus", "Nina", "Oscar",
)  # fmt: skip
LAST = (
    "Anderson", "Baker", "Costa", "Dang", "Edwards", "Fraser", "Gill", "Hughes", "Ivanova",
    "Jensen", "Kaur", "Lim", "Mitchell", "Ng", "O'Connor", "Papadopoulos", "Quach", "Reid",
    "Sato", "Tran", "Usman", "Vella", "Wong", "Young", "Zhou", "Bennett", "Chen", "Doyle",
    "Ellis", "Flores", "Grant", "Huang", "Iqbal", "Jovanovic", "Kennedy", "Lowe", "Morris",
    "Nguyen",
)  # fmt: skip

PATIENT_FIRST = (
    "Alex", "Bridget", "Connor", "Daisy", "Eli", "Freya", "Gabe", "Hannah", "Ivy", "Jordan",
    "Kai", "Layla", "Max", "Nora", "Owen", "Phoebe", "Reuben", "Sienna", "Theo", "Uma",
    "Vince", "Wren", "Yara", "Zara", "Archie", "Billie", "Cooper", "Delia", "Emre", "Flynn",
)  # fmt: skip
PATIENT_LAST = (
    "Abbott", "Brooks", "Cruz", "Dixon", "Evans", "Ford", "Giles", "Hart", "Ismail", "James",
    "Khoury", "Lane", "McKenzie", "Nash", "Ortiz", "Park", "Quinn", "Russo", "Shah", "Todd",
    "Ueda", "Vu", "Walsh", "Xu", "Yilmaz", "Zamora", "Bui", "Clark", "Dunn", "Egan",
)  # fmt: skip
