"""Synthetic families: names, places, ID numbers and card dates.

Everything here is invented. ID numbers follow GB 11643 (region code, birth
date, sequence with the sex digit, ISO 7064 check digit) and use real GB/T 2260
county codes taken from python-stdnum's own table, so that stdnum (and the
pipeline) accept them as valid.
"""

from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import stdnum.cn
from stdnum.cn import ric

from intake.models import DocumentType
from intake.schemas import document_schemas

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Two-character surnames are rare in life; they are here so the pipeline sees some.
DOUBLE_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "令狐"]
MALE_CHARS = list("伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国志"
                  "文博晨轩睿泽宇皓然子墨一航铭俊熙瑞")
FEMALE_CHARS = list("芳娜敏静丽艳娟霞燕玲婷雪琳慧颖洁倩晶佳萱怡梓涵欣悦雨彤诗琪可馨若妍思语嘉韵淑婉璐瑶雯蕾薇琳")
NEUTRAL_CHARS = list("文博一安子晨嘉宁乐心诗雨小天云清和宜")
ETHNIC = ["汉"] * 40 + ["回", "满", "壮", "蒙古", "苗", "土家", "彝", "藏", "维吾尔", "侗", "瑶", "白", "朝鲜", "畲"]
# Names written in Chinese characters from Uyghur (维吾尔族): the given name, a middle dot, the father's
# given name. Invented like every name here: long names with a dot, which Han names never are.
TRANSLITERATED_MALE = ["买买提", "艾力", "阿不都", "吐尔逊", "艾买提", "热合曼", "阿布拉", "伊力哈木", "库尔班",
                       "亚森", "塔依尔", "阿迪力", "努尔兰", "阿不都热合曼", "艾尼瓦尔", "麦麦提敏", "依明", "肉孜"]
TRANSLITERATED_FEMALE = ["阿依古丽", "古丽娜尔", "热依拉", "帕提古丽", "再努尔", "米娜瓦尔", "阿依努尔", "努尔古丽",
                         "祖丽菲亚", "阿娜尔", "古再丽努尔", "迪娜", "茹克亚", "布沙拉"]
TRANSLITERATING = "维吾尔"
# `intake samples --minority-names SHARE`: the share of families named so (when unset, the families whose
# father's drawn ethnicity is 维吾尔, one in 54); spawned generator processes inherit it.
MINORITY_ENV = "INTAKE_SAMPLE_MINORITY_NAMES"
STREETS = ["人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "胜利路", "文化路", "光明路", "长江路",
           "黄河路", "幸福路", "朝阳路", "东风路", "青年路", "工农路", "滨江路", "学府路", "花园路", "建国路",
           "世纪大道", "友谊路", "迎宾大道", "府前街", "南京路", "北京路", "民主街", "团结路"]
VILLAGES = ["李庄", "王家", "张湾", "高桥", "新集", "东岗", "西营", "大屯", "后湖", "前进", "红星", "柳林",
            "杨店", "石桥"]
TOWNS = ["城关镇", "新城镇", "东关街道", "城南街道", "西湖镇", "河口镇", "龙泉镇", "青山乡", "白塔镇"]
HOSPITALS = ["{city}妇幼保健院", "{city}第一人民医院", "{city}中心医院", "{county}人民医院", "{county}妇幼保健院",
             "{city}妇女儿童医院", "{city}第二人民医院", "{county}中医院"]
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}


@dataclass(frozen=True)
class Region:
    code: str  # six-digit county-level code
    province: str
    city: str  # prefecture-level city; equals province for the four municipalities
    county: str
    since: int = 0  # first year the code was in use

    @property
    def full(self) -> str:
        """Province + city + county as printed in an address."""
        return self.province + ("" if self.city == self.province else self.city) + self.county


@dataclass
class Person:
    name: str
    sex: str  # "male" / "female"
    birth: date
    ethnicity: str  # as printed on the ID card: 汉, 回, ...
    region: Region
    address: str
    id_number: str
    authority: str = ""
    valid_from: date | None = None
    valid_until: date | str | None = None  # a date or "长期"


def choice(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def _current_name(name: str) -> tuple[str, int] | None:
    """The county's current name and the year its code took effect, None if abolished."""
    last = name.split(",")[-1]
    m = re.match(r"^\[(\d*)-(\d*)\](.*)$", last)
    if not m:
        return (last, 0) if "," not in name else None
    start, end, bare = m.groups()
    return None if end else (bare, int(start or 0))


@lru_cache(maxsize=1)
def regions() -> tuple[Region, ...]:
    """County-level regions from stdnum's loc.dat that still exist today."""
    path = Path(stdnum.cn.__file__).with_name("loc.dat")
    out, province, cities, pcode = [], "", {}, ""
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r'^(\d\d) province="(.*)"', line)
        if m:
            pcode, province = m.groups()
            cities = {}
            continue
        m = re.match(r'^  (\d{4}) county="(.*)"', line)
        if not m or pcode in ("71", "81", "82"):
            continue
        code, name = m.groups()
        current = _current_name(name)
        if code[2:] == "00":
            cities[code[:2]] = current[0] if current else name.split("]")[-1]
            continue
        if code[2:] == "01" or not current or current[0] in ("市辖区", "县", "郊区", "市区", "矿区"):
            continue
        city = cities.get(code[:2], province)
        if province in MUNICIPALITIES or "直辖" in city or city in ("市辖区", "县"):
            city = province
        out.append(Region(pcode + code, province, city, current[0], current[1]))
    return tuple(out)


def pick_region(rng, born_year: int) -> Region:
    """A region whose code already existed when the person was born (else the ID is invalid)."""
    while True:
        region = choice(rng, regions())
        if region.since <= born_year:
            return region


def make_id_number(rng, region: Region, birth: date, sex: str) -> str:
    """A valid 18-character resident ID number; 17th digit odd for men."""
    seq = int(rng.integers(0, 100)) * 10 + int(rng.integers(0, 5)) * 2 + (1 if sex == "male" else 0)
    body = f"{region.code}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def other_valid_number(rng, number: str) -> str:
    """A different valid number for the same region, birth date and sex (a plausible mix-up)."""
    while True:
        seq = int(number[14:17])
        new_seq = (seq + 2 * int(rng.integers(1, 400))) % 1000
        body = number[:14] + f"{new_seq:03d}"
        new = body + ric.calc_check_digit(body + "0")
        if new != number:
            return new


def wrong_check_digit(rng, number: str) -> str:
    digits = [c for c in "0123456789X" if c != number[-1]]
    return number[:-1] + choice(rng, digits)


def given_name(rng, sex: str) -> str:
    pool = (MALE_CHARS if sex == "male" else FEMALE_CHARS) + NEUTRAL_CHARS
    n = 1 if rng.random() < 0.3 else 2
    return "".join(choice(rng, pool) for _ in range(n))


def surname(rng) -> str:
    return choice(rng, DOUBLE_SURNAMES) if rng.random() < 0.04 else choice(rng, SURNAMES)


def alter_one_char(rng, name: str, sex: str) -> str:
    """The same name with one given-name character replaced (a typical clerical slip)."""
    pool = MALE_CHARS + FEMALE_CHARS + NEUTRAL_CHARS
    sur = next((s for s in DOUBLE_SURNAMES if name.startswith(s)), name[0])
    pos = int(rng.integers(len(sur), len(name)))
    if name[pos] == "·":  # a transliterated name's slip is in a character, not its dot
        pos -= 1
    while True:
        new = name[:pos] + choice(rng, pool) + name[pos + 1:]
        if new != name:
            return new


def transliterated_family(rng, father: Person) -> bool:
    """Whether a family's names are written as transliterated (`rng` is drawn from apart)."""
    share = os.environ.get(MINORITY_ENV)
    return rng.random() < float(share) if share else father.ethnicity == TRANSLITERATING


def transliterate(rng, mother: Person, father: Person, child: Child) -> None:
    """Name the family as 维吾尔族 families are named: each a given name, a dot and the father's given name."""
    given = lambda sex: choice(rng, TRANSLITERATED_MALE if sex == "male" else TRANSLITERATED_FEMALE)  # noqa: E731
    father.name = f"{given('male')}·{given('male')}"
    mother.name = f"{given('female')}·{given('male')}"
    child.name = f"{given(child.sex)}·{father.name.split('·')[0]}"
    mother.ethnicity = father.ethnicity = TRANSLITERATING


def make_address(rng, region: Region) -> str:
    if region.county.endswith("区") and rng.random() < 0.85:
        tail = f"{choice(rng, STREETS)}{int(rng.integers(1, 300))}号"
        if rng.random() < 0.6:
            tail += (f"{int(rng.integers(1, 30))}号楼{int(rng.integers(1, 6))}单元"
                     f"{int(rng.integers(1, 30))}0{int(rng.integers(1, 5))}室")
        return region.full + tail
    if rng.random() < 0.5:
        return region.full + f"{choice(rng, TOWNS)}{choice(rng, STREETS)}{int(rng.integers(1, 200))}号"
    return (region.full + f"{choice(rng, TOWNS)}{choice(rng, VILLAGES)}村"
            f"{int(rng.integers(1, 12))}组{int(rng.integers(1, 90))}号")


def authority(region: Region) -> str:
    """The police bureau that issues ID cards for a county-level region, under one of the names the schema
    gives it (a district's branch with or without 区), always the same for one county."""
    names = document_schemas()[DocumentType.id_card_back].issued_by.names(region.county, region.city)
    return names[zlib.crc32(region.county.encode()) % len(names)]


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def card_period(birth: date, issued: date) -> int | None:
    """Validity in years by age at issue (GB rules); None means 长期."""
    age = (issued - birth).days // 365
    if age < 16:
        return 5
    if age < 26:
        return 10
    if age < 46:
        return 20
    return None


def card_dates(rng, birth: date, as_of: date) -> tuple[date, date | str]:
    """Issue date and end of validity of an ID card that is valid on as_of (and 30 days after)."""
    for _ in range(500):
        issued = as_of - timedelta(days=int(rng.integers(30, 20 * 365)))
        if (issued - birth).days < 16 * 365:
            continue
        years = card_period(birth, issued)
        until: date | str = "长期" if years is None else _add_years(issued, years)
        if until == "长期" or until > as_of + timedelta(days=30):
            return issued, until
    raise RuntimeError("no valid card dates")  # unreachable for adults


def expired_card_dates(rng, birth: date, as_of: date) -> tuple[date, date] | None:
    """Dates of a card that ran out 5 days to 8 years before as_of, with a validity length
    that fits the holder's age at issue; None when no such card fits this person."""
    for _ in range(100):
        until = as_of - timedelta(days=int(rng.integers(5, 8 * 365)))
        for years in (20, 10, 5):
            issued = _add_years(until, -years)
            if (issued - birth).days >= 10 * 365 and card_period(birth, issued) == years:
                return issued, until
    return None


def make_parent(rng, sex: str, child_birth: date, as_of: date, region: Region | None = None) -> Person:
    lo, hi = (22, 42) if sex == "female" else (22, 45)
    if sex == "male" and rng.random() < 0.08:
        hi = 55  # a few older fathers, so that 长期 cards show up
        lo = 46
    age_days = int(rng.integers(lo * 365, hi * 365 + 300))
    birth = child_birth - timedelta(days=age_days)
    if region is None or region.since > birth.year:  # a code must exist when its holder was born
        region = pick_region(rng, birth.year)
    person = Person(
        name=surname(rng) + given_name(rng, sex), sex=sex, birth=birth,
        ethnicity=choice(rng, ETHNIC), region=region, address=make_address(rng, region),
        id_number=make_id_number(rng, region, birth, sex), authority=authority(region),
    )
    person.valid_from, person.valid_until = card_dates(rng, birth, as_of)
    return person


@dataclass
class Child:
    name: str
    sex: str
    born: datetime
    weeks: int
    weight_g: int
    length_cm: int
    health: str
    place: Region
    hospital: str
    certificate_number: str
    cert_issued: date
    relation: str  # to the head of household
    id_number: str
    household_region: Region
    registered: date


def make_child(rng, born: datetime, as_of: date, father: Person, mother: Person) -> Child:
    sex = "male" if rng.random() < 0.5 else "female"
    fam_surname = father.name if rng.random() < 0.9 else mother.name
    sur = next((s for s in DOUBLE_SURNAMES if fam_surname.startswith(s)), fam_surname[0])
    name = sur + given_name(rng, sex)
    place = mother.region if rng.random() < 0.6 else father.region
    hospital = choice(rng, HOSPITALS).format(city=place.city if place.city != place.province else place.county,
                                             county=place.county)
    hh = father.region if rng.random() < 0.7 else mother.region
    if rng.random() < 0.6:
        relation = "子" if sex == "male" else "女"
        if rng.random() < 0.3:
            relation = "长" + relation
    else:
        relation = "孙子" if sex == "male" else "孙女"
    days_to_as_of = max(0, (as_of - born.date()).days)
    cert_issued = born.date() + timedelta(days=int(rng.integers(0, min(5, days_to_as_of) + 1)))
    registered = cert_issued + timedelta(days=int(rng.integers(0, max(1, (as_of - cert_issued).days + 1))))
    return Child(
        name=name, sex=sex, born=born, weeks=int(rng.integers(37, 42)), weight_g=int(rng.integers(2600, 4200)),
        length_cm=int(rng.integers(47, 55)), health=choice(rng, ["良好", "良好", "良好", "健康"]), place=place,
        hospital=hospital, certificate_number=choice(rng, list("NOPQR")) + place.code[:2]
        + f"{int(rng.integers(0, 10**7)):07d}", cert_issued=cert_issued, relation=relation,
        id_number=make_id_number(rng, hh, born.date(), sex), household_region=hh, registered=registered,
    )


def age_at(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
