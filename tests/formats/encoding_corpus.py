"""A corpus of legacy-encoded text files for measuring encoding detection.

Each :class:`Sample` is a text in one language written in one legacy encoding
(or UTF-8 without a byte-order mark), short (one to three sentences) or long
(every sentence of the language, as a memo of several paragraphs). The
sentences read like the memos, news items and reports analysts import: prices
with €, “smart quotes”, dashes, names and figures.

    from tests.formats.encoding_corpus import corpus
    for sample in corpus(): sample.data, sample.encoding, sample.text

The table in README.md (``python -m tests.encoding_table``) and
tests/formats/test_encoding_corpus.py are built from it.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Files at least this long must be detected right (tests/formats/test_encoding_corpus.py).
MIN_BYTES = 200

ENGLISH = (
    "The board approved a budget of €5.3 million for the new plant — well above last "
    "year’s figure.",
    "“We did not expect the regulator to move this fast,” the spokesperson said on Tuesday.",
    "Shares fell 4.2% in early trading; analysts at the bank called the results "
    "‘disappointing’.",
    "The memo, dated 12 March, lists three suppliers – two in Poland and one in Portugal.",
    "Costs rose to €1.8 billion… a figure the ministry described as “manageable”.",
    "According to the report, the company’s exports to Asia doubled between 2019 and 2023.",
    "Critics argue that the subsidy — worth about €40 per tonne — distorts the market.",
)
FRENCH = (
    "Le ministère a annoncé une hausse de 3,5 % du budget consacré à l’énergie.",
    "« Nous ne pouvons pas attendre », a déclaré la présidente lors d’une réunion à "
    "Genève.",
    "Le coût du projet s’élève à 12 millions d’euros, soit 40 € par habitant.",
    "Selon l’étude, les élèves français dépensent en moyenne 250 € par an pour leurs "
    "fournitures.",
    "Le cœur du problème reste l’accès aux soins dans les zones rurales, où près d’un "
    "médecin sur trois a plus de soixante ans.",
    "La réforme, très critiquée par les syndicats, entrera en vigueur dès l’été prochain.",
    "Le préfet a rappelé que les mesures étaient « temporaires » et qu’elles seraient "
    "levées après l’épisode de chaleur.",
)
GERMAN = (
    "Die Bundesregierung hat am Mittwoch ein Förderprogramm über 2,5 Milliarden Euro "
    "beschlossen.",
    "„Wir müssen schneller werden“, sagte die Ministerin nach dem Treffen in München.",
    "Laut einer Umfrage halten 62 Prozent der Bürger die Maßnahmen für übertrieben.",
    "Der Vorstand weist die Vorwürfe zurück – die Prüfung habe keine Unregelmäßigkeiten "
    "ergeben.",
    "Die Kosten für Heizöl sind im Vergleich zum Vorjahr um ein Drittel gestiegen.",
    "Größere Unternehmen müssen künftig über ihre Lieferketten berichten.",
    "Im Süden des Landes führten starke Regenfälle zu Überschwemmungen und Straßensperrungen.",
)
SPANISH = (
    "El Gobierno aprobó ayer una partida de 300 millones de euros para la reconstrucción.",
    "“No vamos a permitir más retrasos”, afirmó el portavoz en una rueda de prensa.",
    "Según el informe, la inflación subió un 3,4 % en el último año y alcanzó su nivel "
    "más alto desde 2008.",
    "La compañía, con sede en Bilbao, negó cualquier irregularidad en la adjudicación.",
    "¿Quién pagará la factura? Los economistas advierten de que la deuda pública "
    "seguirá creciendo.",
    "El número de turistas extranjeros creció un 12 % durante el verano, según el "
    "instituto de estadística.",
)
POLISH = (
    "Rząd przyjął we wtorek projekt ustawy o wsparciu dla przedsiębiorców.",
    "„Nie możemy czekać dłużej” – powiedział minister podczas konferencji w Warszawie.",
    "Według danych urzędu inflacja w październiku wyniosła 6,6 proc. i była najniższa "
    "od dwóch lat.",
    "Spółka zapowiedziała, że zwiększy zatrudnienie w zakładzie pod Łodzią o 300 osób.",
    "Eksperci ostrzegają, że ceny żywności mogą jeszcze wzrosnąć w przyszłym roku.",
    "Źródła w ministerstwie twierdzą, że decyzja zapadnie najpóźniej w środę.",
    "Sąd oddalił skargę, uznając, że urzędnicy działali zgodnie z prawem.",
)
CZECH = (
    "Vláda ve středu schválila návrh zákona o podpoře malých a středních podniků.",
    "„Nemůžeme dál čekat,“ řekl ministr po jednání v Praze.",
    "Podle Českého statistického úřadu dosáhla meziroční inflace v září 6,9 procenta.",
    "Společnost oznámila, že do konce příštího roku zaměstná dalších tři sta lidí.",
    "Ekonomové upozorňují, že ceny potravin mohou ještě vzrůst, zejména u mléčných "
    "výrobků.",
    "Soud žalobu zamítl, protože úředníci postupovali v souladu se zákonem.",
    "Šéf společnosti odmítl obvinění a řekl, že účetnictví je v naprostém pořádku.",
)
HUNGARIAN = (
    "A kormány szerdán elfogadta a kis- és középvállalkozások támogatásáról szóló "
    "törvényjavaslatot.",
    "„Nem várhatunk tovább” – mondta a miniszter a budapesti tárgyalás után.",
    "A Központi Statisztikai Hivatal szerint az infláció szeptemberben 6,9 százalék volt.",
    "A vállalat bejelentette, hogy jövő év végéig háromszáz új munkatársat vesz fel.",
    "A közgazdászok szerint az élelmiszerárak tovább emelkedhetnek, különösen a "
    "tejtermékeké.",
    "A bíróság elutasította a keresetet, mert a hivatal a törvénynek megfelelően járt el.",
)
RUSSIAN = (
    "Правительство в среду одобрило законопроект о поддержке малого бизнеса.",
    "«Мы не можем больше ждать», — заявил министр после переговоров в Москве.",
    "По данным Росстата, годовая инфляция в сентябре составила 6,9 процента.",
    "Компания сообщила, что до конца следующего года наймёт ещё триста сотрудников.",
    "Экономисты предупреждают, что цены на продукты могут вырасти ещё сильнее.",
    "Суд отклонил иск, посчитав, что чиновники действовали в рамках закона.",
    "Объём экспорта зерна в первом полугодии увеличился почти на четверть.",
)
UKRAINIAN = (
    "Уряд у середу схвалив законопроєкт про підтримку малого та середнього бізнесу.",
    "«Ми не можемо більше чекати», — заявив міністр після переговорів у Києві.",
    "За даними Держстату, річна інфляція у вересні становила 6,9 відсотка.",
    "Компанія повідомила, що до кінця наступного року найме ще триста працівників.",
    "Економісти попереджають, що ціни на продукти можуть зрости ще більше.",
    "Суд відхилив позов, вважаючи, що посадовці діяли в межах закону.",
    "Ґрунтові дороги в області після дощів стали непроїзними, повідомляє їхня служба.",
)
BULGARIAN = (
    "Правителството одобри в сряда законопроекта за подкрепа на малкия бизнес.",
    "„Не можем да чакаме повече“, заяви министърът след преговорите в София.",
    "Според данните на статистиката годишната инфлация през септември е 6,9 процента.",
    "Компанията съобщи, че до края на следващата година ще назначи още триста души.",
    "Икономистите предупреждават, че цените на храните може да се повишат още.",
    "Съдът отхвърли иска, като прие, че служителите са действали в рамките на закона.",
)
GREEK = (
    "Η κυβέρνηση ενέκρινε την Τετάρτη το νομοσχέδιο για τη στήριξη των μικρών επιχειρήσεων.",
    "«Δεν μπορούμε να περιμένουμε άλλο», δήλωσε ο υπουργός μετά τη συνάντηση στην Αθήνα.",
    "Σύμφωνα με την ΕΛΣΤΑΤ, ο ετήσιος πληθωρισμός τον Σεπτέμβριο ήταν 6,9%.",
    "Η εταιρεία ανακοίνωσε ότι έως το τέλος του επόμενου έτους θα προσλάβει τριακόσιους "
    "υπαλλήλους.",
    "Άλλοι οικονομολόγοι προειδοποιούν ότι οι τιμές των τροφίμων μπορεί να αυξηθούν κι "
    "άλλο.",
    "Το δικαστήριο απέρριψε την αγωγή, κρίνοντας ότι οι υπάλληλοι ενήργησαν νόμιμα.",
)
FINNISH = (
    "Hallitus hyväksyi keskiviikkona esityksen pienyritysten tukemisesta.",
    "Šakkiliiton mukaan turnauksen palkintopotti on 25 000 €, mikä on ennätys.",
    "Tilastokeskuksen mukaan vuosi-inflaatio oli syyskuussa 6,9 prosenttia, mikä yllätti.",
    "Yhtiö kertoi palkkaavansa ensi vuoden loppuun mennessä kolmesataa työntekijää.",
    "Ekonomistit varoittavat, että elintarvikkeiden hinnat voivat vielä nousta.",
    "Šveitsiläisen pankin mukaan ženeveläinen rahasto myi osuutensa 4,2 miljoonalla eurolla.",
)
JAPANESE = (
    "政府は水曜日、中小企業を支援する法案を閣議決定した。",
    "「これ以上待つことはできない」と大臣は東京での会談後に述べた。",
    "総務省によると、九月の消費者物価指数は前年同月比で三・二％上昇した。",
    "同社は来年末までに新たに三百人の従業員を採用すると発表した。",
    "経済学者は、食料品の価格がさらに上がる可能性があると警告している。",
    "裁判所は、職員が法律に従って行動したとして訴えを退けた。",
    "気象庁によると、今年の夏の平均気温は統計を取り始めた一八九八年以降で最も高く、"
    "各地で記録的な猛暑となった。",
)
CHINESE = (
    "国务院周三通过了支持中小企业发展的若干措施。",
    "“我们不能再等下去了，”部长在北京会谈后表示。",
    "据国家统计局数据，九月份居民消费价格同比上涨百分之二点五。",
    "该公司宣布，将在明年年底前新招聘三百名员工。",
    "经济学家警告说，食品价格可能会进一步上涨，尤其是猪肉和蔬菜。",
    "法院驳回了起诉，认为有关官员的行为符合法律规定。",
    "据气象部门介绍，今年夏季全国平均气温为一九六一年有完整气象观测记录以来同期最高，"
    "多地出现持续高温天气。",
)

#: (encoding, language, sentences): what the corpus holds.
SOURCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("cp1252", "English", ENGLISH), ("cp1252", "French", FRENCH),
    ("cp1252", "German", GERMAN), ("cp1252", "Spanish", SPANISH),
    ("cp1250", "Polish", POLISH), ("cp1250", "Czech", CZECH),
    ("cp1250", "Hungarian", HUNGARIAN),
    ("cp1251", "Russian", RUSSIAN), ("cp1251", "Ukrainian", UKRAINIAN),
    ("cp1251", "Bulgarian", BULGARIAN),
    ("iso8859-2", "Polish", POLISH), ("iso8859-2", "Czech", CZECH),
    ("iso8859-2", "Hungarian", HUNGARIAN),
    ("iso8859-5", "Russian", RUSSIAN), ("iso8859-5", "Bulgarian", BULGARIAN),
    ("iso8859-7", "Greek", GREEK), ("cp1253", "Greek", GREEK),
    ("iso8859-15", "French", FRENCH), ("iso8859-15", "Finnish", FINNISH),
    ("mac-roman", "French", FRENCH), ("mac-roman", "German", GERMAN),
    ("mac-roman", "English", ENGLISH),
    ("shift_jis", "Japanese", JAPANESE), ("gb18030", "Chinese", CHINESE),
    ("utf-8", "Russian", RUSSIAN), ("utf-8", "French", FRENCH),
    ("utf-8", "Japanese", JAPANESE),
)


@dataclass(frozen=True, slots=True)
class Sample:
    encoding: str       #: the codec the file was written in
    language: str
    size: str           #: "short" (one to three sentences) or "long" (a memo)
    text: str
    data: bytes

    @property
    def name(self) -> str:
        return f"{self.encoding}-{self.language.lower()}-{self.size}-{len(self.data)}"


def _long(sentences: tuple[str, ...], separator: str) -> str:
    """A memo: every sentence, in paragraphs of three, twice over in another order."""
    order = list(sentences) + list(reversed(sentences))
    paragraphs = [separator.join(order[i:i + 3]) for i in range(0, len(order), 3)]
    return "\n\n".join(paragraphs) + "\n"


def _texts(sentences: tuple[str, ...], separator: str) -> list[tuple[str, str]]:
    """(size, text): each sentence alone, each pair and triple of neighbours, the memo."""
    texts = [("short", sentence + "\n") for sentence in sentences]
    for width in (2, 3):
        texts += [("short", separator.join(sentences[i:i + width]) + "\n")
                  for i in range(len(sentences) - width + 1)]
    texts.append(("long", _long(sentences, separator)))
    return texts


#: What a writer without typographic punctuation types instead (ISO-8859 has no
#: smart quotes, and ISO-8859-5 no guillemets).
_PLAIN = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'",
                        "’": "'", "–": "-", "—": "-", "…": "..."})


def fit(text: str, encoding: str) -> str:
    """``text`` with the punctuation ``encoding`` lacks typed plainly."""
    return "".join(char if _encodes(char, encoding) else char.translate(_PLAIN)
                   for char in text)


def _encodes(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def corpus() -> list[Sample]:
    """Every sample, in a fixed order; every text encodes exactly in its encoding."""
    samples: list[Sample] = []
    for encoding, language, sentences in SOURCES:
        separator = "" if language in ("Japanese", "Chinese") else " "
        for size, text in _texts(sentences, separator):
            text = fit(text, encoding)
            samples.append(Sample(encoding, language, size, text, text.encode(encoding)))
    return samples
