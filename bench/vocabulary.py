"""The fixed world of the benchmark corpus: 40 topics, 60 actors, sources and the words of its prose.

The data is hand-written, not drawn from any corpus. Topic aliases deliberately overlap the way
real ones do ("Sudan" inside "South Sudan", "Guinea" inside "Guinea-Bissau", "Republic of the Congo"
inside "Democratic Republic of the Congo", "Niger" beside "Niger Delta"), so routing's longest-match
rule is exercised at scale. The filler words never contain a topic alias, so an article's
"listed-only" topics really are unmentioned in its text.
"""

from __future__ import annotations

from typing import NamedTuple


class TopicSpec(NamedTuple):
    """One topic of the benchmark world."""

    id: str
    title: str
    region: str
    aliases: tuple[str, ...]
    exclude: tuple[str, ...] = ()


class ActorSpec(NamedTuple):
    """One actor of the benchmark world."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]


TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec("afghanistan", "Afghanistan", "Asia", ("Afghanistan", "Afghan", "Kabul", "Kandahar", "Herat")),
    TopicSpec("sudan", "Sudan", "Africa", ("Sudan", "Sudanese", "Khartoum", "Darfur")),
    TopicSpec("south-sudan", "South Sudan", "Africa", ("South Sudan", "South Sudanese", "Juba")),
    TopicSpec("niger", "Niger", "Africa", ("Niger", "Nigerien", "Niamey"), ("Niger Delta", "Niger River")),
    TopicSpec("nigeria", "Nigeria", "Africa", ("Nigeria", "Nigerian", "Abuja", "Lagos", "Niger Delta")),
    TopicSpec("guinea", "Guinea", "Africa", ("Guinea", "Guinean", "Conakry")),
    TopicSpec("guinea-bissau", "Guinea-Bissau", "Africa", ("Guinea-Bissau", "Bissau")),
    TopicSpec("equatorial-guinea", "Equatorial Guinea", "Africa", ("Equatorial Guinea", "Malabo")),
    TopicSpec(
        "dr-congo",
        "Democratic Republic of the Congo",
        "Africa",
        ("Democratic Republic of the Congo", "DR Congo", "DRC", "Kinshasa", "Goma"),
    ),
    TopicSpec(
        "congo-republic", "Republic of the Congo", "Africa", ("Republic of the Congo", "Congo-Brazzaville")
    ),
    TopicSpec("ethiopia", "Ethiopia", "Africa", ("Ethiopia", "Ethiopian", "Tigray", "Addis Ababa")),
    TopicSpec("somalia", "Somalia", "Africa", ("Somalia", "Somali", "Mogadishu")),
    TopicSpec("sahel", "Sahel", "Africa", ("Sahel", "Mali", "Malian", "Bamako", "Burkina Faso")),
    TopicSpec("libya", "Libya", "Africa", ("Libya", "Libyan", "Tripoli", "Benghazi")),
    TopicSpec("western-sahara", "Western Sahara", "Africa", ("Western Sahara", "Polisario Front", "MINURSO")),
    TopicSpec("myanmar", "Myanmar", "Asia", ("Myanmar", "Burma", "Naypyidaw", "Rakhine", "Rohingya")),
    TopicSpec("korean-peninsula", "Korean Peninsula", "Asia", ("Korean Peninsula", "Pyongyang", "DPRK")),
    TopicSpec(
        "south-china-sea", "South China Sea", "Asia", ("South China Sea", "Spratly Islands", "Paracel")
    ),
    TopicSpec("taiwan-strait", "Taiwan Strait", "Asia", ("Taiwan Strait", "Taiwan", "Taipei")),
    TopicSpec("kashmir", "Kashmir", "Asia", ("Kashmir", "Jammu and Kashmir", "Line of Control", "Srinagar")),
    TopicSpec("syria", "Syria", "Middle East", ("Syria", "Syrian", "Damascus", "Aleppo", "Idlib")),
    TopicSpec("yemen", "Yemen", "Middle East", ("Yemen", "Yemeni", "Sanaa", "Hodeidah", "Aden")),
    TopicSpec("iraq", "Iraq", "Middle East", ("Iraq", "Iraqi", "Baghdad", "Mosul", "Erbil")),
    TopicSpec("lebanon", "Lebanon", "Middle East", ("Lebanon", "Lebanese", "Beirut")),
    TopicSpec(
        "israel-palestine",
        "Israeli-Palestinian conflict",
        "Middle East",
        ("Israeli-Palestinian", "Gaza", "West Bank", "two-state solution", "East Jerusalem"),
    ),
    TopicSpec(
        "iran-nuclear",
        "Iran nuclear issue",
        "Middle East",
        ("JCPOA", "Joint Comprehensive Plan of Action", "Iran nuclear deal", "uranium enrichment", "Natanz"),
    ),
    TopicSpec("ukraine", "Ukraine", "Europe", ("Ukraine", "Ukrainian", "Kyiv", "Donbas", "Crimea")),
    TopicSpec("kosovo", "Kosovo", "Europe", ("Kosovo", "Pristina", "Belgrade-Pristina dialogue")),
    TopicSpec("cyprus", "Cyprus", "Europe", ("Cyprus", "Cypriot", "Nicosia")),
    TopicSpec("arctic", "Arctic", "Europe", ("Arctic", "Northern Sea Route", "Svalbard")),
    TopicSpec("venezuela", "Venezuela", "Americas", ("Venezuela", "Venezuelan", "Caracas")),
    TopicSpec("haiti", "Haiti", "Americas", ("Haiti", "Haitian", "Port-au-Prince")),
    TopicSpec(
        "climate-change",
        "Climate change",
        "Global",
        ("climate change", "global warming", "Paris Agreement", "carbon emissions"),
    ),
    TopicSpec("covid-19", "COVID-19", "Global", ("COVID-19", "coronavirus", "COVAX", "vaccine equity")),
    TopicSpec(
        "nuclear-disarmament",
        "Nuclear disarmament",
        "Global",
        ("nuclear disarmament", "Non-Proliferation Treaty", "NPT", "nuclear test ban"),
    ),
    TopicSpec(
        "migration",
        "Migration and refugees",
        "Global",
        ("refugees", "asylum seekers", "Global Compact for Migration", "displaced persons"),
    ),
    TopicSpec(
        "food-security", "Food security", "Global", ("food security", "famine", "grain exports", "hunger")
    ),
    TopicSpec(
        "un-reform",
        "UN reform",
        "Global",
        ("Security Council reform", "UN reform", "veto power", "revitalization of the General Assembly"),
    ),
    TopicSpec(
        "sustainable-development",
        "Sustainable development",
        "Global",
        ("Sustainable Development Goals", "SDGs", "2030 Agenda", "development finance"),
    ),
    TopicSpec(
        "counter-terrorism",
        "Counter-terrorism",
        "Global",
        ("terrorism", "counter-terrorism", "violent extremism", "Islamic State"),
    ),
)

# A few hand-picked related briefs, as editors would add them.
RELATED: dict[str, tuple[str, ...]] = {
    "sudan": ("south-sudan",),
    "south-sudan": ("sudan",),
    "niger": ("sahel", "nigeria"),
    "guinea": ("guinea-bissau",),
    "dr-congo": ("congo-republic",),
    "korean-peninsula": ("nuclear-disarmament",),
    "iran-nuclear": ("nuclear-disarmament",),
    "syria": ("counter-terrorism", "migration"),
    "yemen": ("food-security",),
}

ACTORS: tuple[ActorSpec, ...] = (
    ActorSpec("united-states", "United States", "state", ("United States", "Washington")),
    ActorSpec("china", "China", "state", ("China", "Beijing", "Chinese")),
    ActorSpec("russia", "Russia", "state", ("Russia", "Moscow", "Kremlin", "Russian")),
    ActorSpec("united-kingdom", "United Kingdom", "state", ("United Kingdom", "Britain", "British")),
    ActorSpec("france", "France", "state", ("France", "Paris", "French")),
    ActorSpec("germany", "Germany", "state", ("Germany", "Berlin", "German")),
    ActorSpec("india", "India", "state", ("India", "New Delhi", "Indian")),
    ActorSpec("japan", "Japan", "state", ("Japan", "Tokyo", "Japanese")),
    ActorSpec("brazil", "Brazil", "state", ("Brazil", "Brasília", "Brazilian")),
    ActorSpec("south-africa", "South Africa", "state", ("South Africa", "Pretoria")),
    ActorSpec("turkiye", "Türkiye", "state", ("Türkiye", "Turkey", "Ankara", "Turkish")),
    ActorSpec("saudi-arabia", "Saudi Arabia", "state", ("Saudi Arabia", "Riyadh", "Saudi")),
    ActorSpec("egypt", "Egypt", "state", ("Egypt", "Cairo", "Egyptian")),
    ActorSpec("iran", "Iran", "state", ("Iran", "Tehran", "Iranian")),
    ActorSpec("pakistan", "Pakistan", "state", ("Pakistan", "Islamabad", "Pakistani")),
    ActorSpec("indonesia", "Indonesia", "state", ("Indonesia", "Jakarta", "Indonesian")),
    ActorSpec("mexico", "Mexico", "state", ("Mexico", "Mexican")),
    ActorSpec("canada", "Canada", "state", ("Canada", "Ottawa", "Canadian")),
    ActorSpec("australia", "Australia", "state", ("Australia", "Canberra", "Australian")),
    ActorSpec("south-korea", "South Korea", "state", ("South Korea", "Seoul", "Republic of Korea")),
    ActorSpec("north-korea", "North Korea", "state", ("North Korea", "Kim Jong Un")),
    ActorSpec("qatar", "Qatar", "state", ("Qatar", "Doha", "Qatari")),
    ActorSpec("norway", "Norway", "state", ("Norway", "Oslo", "Norwegian")),
    ActorSpec("kenya", "Kenya", "state", ("Kenya", "Nairobi", "Kenyan")),
    ActorSpec("algeria", "Algeria", "state", ("Algeria", "Algiers", "Algerian")),
    ActorSpec("argentina", "Argentina", "state", ("Argentina", "Buenos Aires", "Argentine")),
    ActorSpec("vietnam", "Viet Nam", "state", ("Viet Nam", "Vietnam", "Hanoi", "Vietnamese")),
    ActorSpec("philippines", "Philippines", "state", ("Philippines", "Manila", "Philippine")),
    ActorSpec("italy", "Italy", "state", ("Italy", "Rome", "Italian")),
    ActorSpec("spain", "Spain", "state", ("Spain", "Madrid", "Spanish")),
    ActorSpec("united-nations", "United Nations", "organisation", ("United Nations", "UN Secretariat")),
    ActorSpec("security-council", "UN Security Council", "organisation", ("Security Council",)),
    ActorSpec("african-union", "African Union", "organisation", ("African Union", "AU Commission")),
    ActorSpec("european-union", "European Union", "organisation", ("European Union", "EU", "Brussels")),
    ActorSpec("nato", "NATO", "organisation", ("NATO", "North Atlantic Treaty Organization")),
    ActorSpec("asean", "ASEAN", "organisation", ("ASEAN", "Association of Southeast Asian Nations")),
    ActorSpec("arab-league", "Arab League", "organisation", ("Arab League", "League of Arab States")),
    ActorSpec("ecowas", "ECOWAS", "organisation", ("ECOWAS", "Economic Community of West African States")),
    ActorSpec("oas", "Organization of American States", "organisation", ("Organization of American States",)),
    ActorSpec("g20", "G20", "organisation", ("G20", "Group of Twenty")),
    ActorSpec("who", "World Health Organization", "organisation", ("World Health Organization", "WHO")),
    ActorSpec("iaea", "IAEA", "organisation", ("IAEA", "International Atomic Energy Agency")),
    ActorSpec("unhcr", "UNHCR", "organisation", ("UNHCR", "UN refugee agency")),
    ActorSpec("imf", "IMF", "organisation", ("IMF", "International Monetary Fund")),
    ActorSpec("world-bank", "World Bank", "organisation", ("World Bank",)),
    # Fictional office-holders: the generator puts words in their mouths.
    ActorSpec("amara-okafor", "Amara Okafor", "person", ("Amara Okafor", "Okafor")),
    ActorSpec("lena-varga", "Lena Varga", "person", ("Lena Varga", "Varga")),
    ActorSpec("tomas-reyes", "Tomás Reyes", "person", ("Tomás Reyes", "Tomas Reyes", "Reyes")),
    ActorSpec("hiroshi-tanabe", "Hiroshi Tanabe", "person", ("Hiroshi Tanabe", "Tanabe")),
    ActorSpec("farida-haddad", "Farida Haddad", "person", ("Farida Haddad", "Haddad")),
    ActorSpec("pieter-de-wit", "Pieter de Wit", "person", ("Pieter de Wit", "de Wit")),
    ActorSpec("meera-iyer", "Meera Iyer", "person", ("Meera Iyer", "Iyer")),
    ActorSpec("olu-adeyemi", "Olu Adeyemi", "person", ("Olu Adeyemi", "Adeyemi")),
    ActorSpec("sofia-lindqvist", "Sofia Lindqvist", "person", ("Sofia Lindqvist", "Lindqvist")),
    ActorSpec("chen-wei", "Chen Wei", "person", ("Chen Wei",)),
    ActorSpec("houthis", "Houthi movement", "group", ("Houthis", "Ansar Allah")),
    ActorSpec("hezbollah", "Hezbollah", "group", ("Hezbollah",)),
    ActorSpec("m23", "M23", "group", ("M23", "March 23 Movement")),
    ActorSpec("al-shabaab", "Al-Shabaab", "group", ("Al-Shabaab",)),
    ActorSpec("tatmadaw", "Tatmadaw", "group", ("Tatmadaw",)),
)

SOURCES: tuple[str, ...] = (
    "Reuters",
    "Associated Press",
    "AFP",
    "BBC News",
    "Al Jazeera",
    "CGTN",
    "Xinhua",
    "UN News",
    "The Guardian",
    "Le Monde",
    "Deutsche Welle",
    "NHK World",
    "The Hindu",
    "Daily Maverick",
    "Kyodo News",
    "France 24",
)

# Prose pieces. None of them contains a topic alias (see the module docstring).
OFFICIALS: tuple[str, ...] = (
    "the foreign minister",
    "a senior diplomat",
    "the special envoy",
    "the ambassador",
    "a government spokesperson",
    "the deputy prime minister",
    "an official familiar with the talks",
    "the defence minister",
    "the head of the delegation",
    "a senior adviser",
)
SAY_VERBS: tuple[str, ...] = (
    "said",
    "told reporters",
    "stressed",
    "warned",
    "argued",
    "noted",
    "insisted",
    "acknowledged",
    "suggested",
    "reiterated",
)
SUBJECTS: tuple[str, ...] = (
    "the ceasefire",
    "the new round of talks",
    "the draft resolution",
    "the humanitarian response",
    "the monitoring mission",
    "the transition plan",
    "the sanctions regime",
    "the electoral timetable",
    "the aid corridor",
    "the border agreement",
    "the security arrangement",
    "the framework agreement",
    "the peacekeeping mandate",
    "the joint statement",
    "the reconstruction fund",
    "the trade package",
    "the prisoner exchange",
    "the verification process",
)
PREDICATES: tuple[str, ...] = (
    "remained fragile despite weeks of negotiation",
    "would be reviewed at the next ministerial meeting",
    "had broad support among regional partners",
    "could collapse without sustained pressure from donors",
    "was an important first step but not a solution",
    "needed clearer benchmarks and an independent review",
    "had been delayed by disagreements over sequencing",
    "should be extended for another twelve months",
    "depended on guarantees that neither side had yet offered",
    "reflected a shift in the balance of power on the ground",
    "was welcomed cautiously by civil society groups",
    "left several key questions unanswered",
    "had already eased pressure on local communities",
    "risked undermining confidence in the wider process",
)
CONNECTORS: tuple[str, ...] = (
    "Meanwhile",
    "At the same time",
    "In a separate statement",
    "Earlier in the week",
    "According to officials",
    "By contrast",
    "In response",
    "Later that day",
    "For now",
    "In private",
)
OBSERVATIONS: tuple[str, ...] = (
    "analysts expect the issue to return to the agenda before the end of the quarter",
    "diplomats described the atmosphere in the room as tense but businesslike",
    "the talks were held behind closed doors and no transcript was released",
    "several delegations asked for more time to consult their capitals",
    "the proposal drew criticism from opposition lawmakers",
    "observers said the timeline was ambitious but achievable",
    "donors pledged additional funding for the coming year",
    "the meeting ended without a final communiqué",
    "independent monitors reported a steady decline in violations",
    "local leaders called for a stronger role in the process",
    "the announcement was followed by a sharp rise in commodity prices",
    "the working group will meet again next month",
    "negotiators agreed to set up a technical committee",
    "officials declined to comment on the details of the proposal",
)
SITUATION_NOUNS: tuple[str, ...] = (
    "situation",
    "crisis",
    "talks",
    "negotiations",
    "security situation",
    "political process",
    "humanitarian picture",
    "economic outlook",
    "dispute",
    "transition",
)
TITLE_VERBS: tuple[str, ...] = (
    "discuss",
    "push for progress on",
    "trade accusations over",
    "agree next steps on",
    "clash over",
    "call for calm on",
    "review",
    "pledge support on",
)
TITLE_NOUNS: tuple[str, ...] = (
    "talks stall",
    "envoy visits region",
    "ministers meet",
    "new plan unveiled",
    "aid pledges rise",
    "deadline extended",
    "monitors report progress",
    "sanctions debated",
    "vote postponed",
    "agreement signed",
)
TAGS: tuple[str, ...] = (
    "diplomacy",
    "ceasefire",
    "elections",
    "sanctions",
    "aid",
    "peacekeeping",
    "trade",
    "summit",
    "human rights",
    "energy",
)

# Aliases that are adjectives: "Afghan officials", not "the crisis around Afghan".
# fmt: off
DEMONYMS: frozenset[str] = frozenset({
    "Afghan", "Sudanese", "South Sudanese", "Nigerien", "Nigerian", "Guinean", "Ethiopian", "Somali",
    "Malian", "Libyan", "Syrian", "Yemeni", "Iraqi", "Lebanese", "Ukrainian", "Cypriot", "Venezuelan",
    "Haitian", "Israeli-Palestinian",
})
# fmt: on
GROUPS: tuple[str, ...] = ("officials", "negotiators", "civilians", "authorities", "lawmakers", "leaders")
