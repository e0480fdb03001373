#!/usr/bin/python3
"""Generate a synthetic county: three departments' exports of one population, plus ground truth.

Writes into --out DIR:
  police.csv     UTF-8, police household register (covers ~95% of persons)
  civil.csv      GB18030 with CRLF, civil-affairs benefit roll (~40%)
  grid.csv       UTF-8 with BOM, grid members' visit sheets (~60%, some persons visited twice)
  truth.csv      source,record_id,person_id for every well-formed generated record
  persons.csv    the clean attributes of every person (what a perfect normalizer should recover)
  malformed.txt  file,line,record_id,why for rows broken on purpose (not in truth.csv)
  grid.xlsx      with --xlsx: grid.csv's well-formed rows as a workbook (sheet 走访记录) plus a 走访日期
                 date column; ID numbers destroyed into numbers where grid.csv has "3.30122E+17", and
                 one row with a cell beyond the header (in malformed.txt, line = sheet row)

The messy values (full-width digits, 15-digit legacy ID numbers, traditional characters, spaced names,
Uyghur and Kazakh names with assorted separators (买买提•艾力), names in pinyin (ZHANG Wei), +86 and
landline phone formats with extensions, 男性/M/F genders, 汉/01 ethnicities, assorted date formats, moved
people, twins, namesakes, households sharing an address, a surname and a landline, minors giving a
parent's phone...) sit in deterministic rows for a given --seed: same seed, same bytes, with or
without --xlsx. Name, pinyin, region and town lists come from ops/data/ (see its README.md); nothing
outside ops/data/ is read.
"""
import argparse
import csv
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ beside the script
sys.path.insert(0, str(Path(__file__).resolve().parent))
import county_xlsx  # noqa: E402

DATA = Path(__file__).resolve().parent / 'data'
COVERAGE = {'police': 0.95, 'civil': 0.40, 'grid': 0.60}
REVISIT, MOVED, PHONE_CHANGED, MIGRANT, TURKIC = 0.12, 0.15, 0.10, 0.05, 0.015
# Persons per household of local residents: 1-5, 2.64 on average (China's 2020 census: 2.62 per
# family household); born in MINOR_FROM or later: a minor, who gives a parent's phone
HOUSEHOLD_SIZES, HOUSEHOLD_WEIGHTS, MINOR_FROM = (1, 2, 3, 4, 5), (20, 30, 26, 14, 10), 2008
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
FULLWIDTH = str.maketrans('0123456789X-', '０１２３４５６７８９Ｘ－')
MIDDLE_DOT = '\u00b7'  # the standard separator of minority-name parts: 买买提·艾力
# Uyghur and Kazakh residents are migrants from Xinjiang (codes in regions.csv): group -> weight, places
TURKIC_GROUPS = {'维吾尔族': (3, ('653101', '654002')), '哈萨克族': (1, ('654002',))}
# how other departments write the separator (police writes MIDDLE_DOT)
SEPARATORS = {'sep_bullet': '\u2022', 'sep_dot': '.', 'sep_katakana': '\u30fb', 'sep_hyphen': '-',
              'sep_fullstop': '\uff0e', 'sep_spaced': ' \u00b7 ', 'sep_space_after': '\u00b7 '}
LATIN = {'latin_spaced': lambda s, g: f'{s.title()}  {g.upper()}', 'latin_lower': lambda s, g: f'{s} {g}',
         'latin_upper_title': lambda s, g: f'{s.upper()} {g.title()}', 'latin_upper': lambda s, g: f'{s} {g}'.upper()}
GENDER = {'zh': ('男', '女'), 'long': ('男性', '女性'), 'code': ('1', '2'), 'letter': ('M', 'F')}
HAN_FORMS = {'short': '汉', 'code2': '01', 'code1': '1'}
ROADS = ('人民', '解放', '迎宾', '江滨', '富春', '新安', '文化', '学府', '健康', '环城北', '环城南', '工业',
         '建设', '振兴', '和平', '青年', '春江', '桐君', '滨江', '梅林', '凤凰', '广场')
VILLAGES = ('上庄', '下洋', '前山', '后岩', '塘坞', '石门', '高坪', '溪口', '东坑', '里湾', '新桥', '大岭',
            '横山', '青坑', '双溪', '白沙', '金竹', '茶园', '松林', '桥头')
ETHNIC_OTHER = ('回族', '苗族', '土家族', '满族', '壮族')
AID = {'child': ('最低生活保障', '孤儿基本生活保障', '医疗救助', '残疾人两项补贴'),
       'adult': ('最低生活保障', '临时救助', '残疾人两项补贴', '医疗救助'),
       'old': ('最低生活保障', '特困人员供养', '高龄津贴', '临时救助', '医疗救助')}
VISIT = ('入户走访', '矛盾纠纷排查', '独居老人关爱', '出租房屋检查', '安全隐患排查', '政策宣传', '特殊人群帮扶',
         '疫苗接种提醒', '人口信息核实')
FIRST_VISIT, VISIT_DAYS = dt.date(2023, 1, 1), 731  # visit dates (grid.xlsx only): 2023-01-01 .. 2024-12-31


# ---------------------------------------------------------------- reference lists (ops/data only)

def read_csv(name):
    with open(DATA / name, encoding='utf-8', newline='') as f:
        return list(csv.DictReader(f))


def read_lines(name):
    return [l.strip() for l in open(DATA / name, encoding='utf-8') if l.strip()]


def load_data():
    d = {}
    sn = read_csv('surnames.csv')
    d['surnames'] = [r['surname'] for r in sn]
    d['surname_cw'] = [0.0]
    for r in sn:
        d['surname_cw'].append(d['surname_cw'][-1] + float(r['weight_percent']))
    d['surname_cw'].pop(0)
    d['given'] = {'M': read_lines('given_male.txt'), 'F': read_lines('given_female.txt')}
    d['mobile'] = read_lines('mobile_prefixes.txt') + ['177', '178', '198', '199']  # faker lacks 17x/19x
    d['trad'] = {r['simplified']: r['traditional'] for r in read_csv('traditional.csv')}
    d['regions'] = [dict(r, first=int(r['first_year']), last=int(r['last_year'] or 9999)) for r in read_csv('regions.csv')]
    d['region_name'] = {r['code']: r['name'] for r in d['regions']}
    d['towns'] = {}
    for r in read_csv('towns.csv'):
        d['towns'].setdefault(r['county'], []).append(r)
    d['home'] = sorted(d['towns'])
    turkic_places = {c for _, places in TURKIC_GROUPS.values() for c in places}
    d['origin'] = sorted({r['current'] for r in d['regions'] if r['home'] == '0'} - turkic_places)
    d['turkic'] = {'M': [], 'F': []}
    for r in read_csv('minority_names.csv'):
        d['turkic'][r['sex']].append(r['part'])
    d['pinyin'] = {r['char']: r['pinyin'] for r in read_csv('pinyin.csv')}
    d['surname_pinyin'] = {r['surname']: r['pinyin'] for r in read_csv('surname_pinyin.csv')}  # 曾 zeng, not ceng
    return d


# ---------------------------------------------------------------- GB 11643 identity numbers

def check_char(body17):
    return '10X98765432'[sum(int(c) * w for c, w in zip(body17, WEIGHTS)) % 11]


def id18(region, birth, seq):
    body = f'{region}{birth:%Y%m%d}{seq:03d}'
    return body + check_char(body)


def id15(number18):
    return number18[:6] + number18[8:17]


def region_at(d, current, year):
    """The code in force for place `current` in `year` (ID numbers keep the code they were issued with)."""
    for r in d['regions']:
        if r['current'] == current and r['first'] <= year <= r['last']:
            return r['code']
    return current


# ---------------------------------------------------------------- persons

def make_address(rng, d, county):
    town = rng.choice(d['towns'][county])
    urban = town['town'].endswith('街道') or (town['town'].endswith('镇') and rng.random() < 0.4)
    if urban:
        rest = f'{rng.choice(ROADS)}{rng.choice("路街")}{rng.randint(1, 399)}号'
        if rng.random() < 0.7:
            rest += f'{rng.randint(1, 30)}幢{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}室'
    else:
        rest = f'{rng.choice(VILLAGES)}村{rng.randint(1, 12)}组{rng.randint(1, 120)}号'
    return {'county': county, 'town': town['town'], 'town_code': town['code'], 'rest': rest,
            'grid': f'{town["code"]}{rng.randint(1, 12):03d}'}


def origin_address(rng, d, current):
    return {'county': current, 'town': rng.choice(VILLAGES) + '镇', 'town_code': '', 'grid': '',
            'rest': f'{rng.choice(VILLAGES)}村{rng.randint(1, 12)}组{rng.randint(1, 120)}号'}


def full_address(d, a):
    return d['region_name'][a['county']] + a['town'] + a['rest']


def mobile(rng, d):
    return rng.choice(d['mobile']) + f'{rng.randrange(10 ** 8):08d}'


def full_name(p):
    return p['surname'] + p['given']


def is_turkic(p):
    return 'parts' in p


def make_turkic(rng, d, p):
    """A Uyghur or Kazakh migrant: own name · father's name (买买提·艾力), no surname, ID from Xinjiang."""
    groups = sorted(TURKIC_GROUPS)
    p['ethnic'] = rng.choices(groups, weights=[TURKIC_GROUPS[g][0] for g in groups])[0]
    own = rng.choice(d['turkic'][p['sex']])
    p['parts'] = (own, rng.choice([x for x in d['turkic']['M'] if x != own]))
    p['surname'], p['given'] = '', MIDDLE_DOT.join(p['parts'])
    p['migrant'], p['place'] = True, rng.choice(TURKIC_GROUPS[p['ethnic']][1])
    p['hukou'] = origin_address(rng, d, p['place'])


def make_han(rng, d, p, county):
    """Names and places of everyone else (mostly 汉族; 畲族 in 莪山, a few others)."""
    p['surname'] = rng.choices(d['surnames'], cum_weights=d['surname_cw'])[0]
    p['given'] = rng.choice(d['given'][p['sex']])
    p['migrant'] = rng.random() < MIGRANT
    if p['migrant']:
        p['place'] = rng.choice(d['origin'])
        p['hukou'] = origin_address(rng, d, p['place'])
    else:
        p['place'] = county
        p['hukou'] = p['current']
        if rng.random() < MOVED:  # moved: registered at the old address, lives at a new one
            p['current'] = make_address(rng, d, county if rng.random() < 0.9 else rng.choice(d['home']))
    p['ethnic'] = '汉族'
    if p['current']['town'] == '莪山畲族乡' and not p['migrant'] and rng.random() < 0.6:
        p['ethnic'], p['surname'] = '畲族', rng.choice('蓝雷钟')
    elif rng.random() < 0.01:
        p['ethnic'] = rng.choice(ETHNIC_OTHER)


def make_person(rng, d, i):
    p = {'pid': i, 'sex': rng.choice('MF')}
    start = dt.date(int(rng.triangular(1930, 2021, 1972)), 1, 1)
    p['birth'] = start + dt.timedelta(days=rng.randrange(365))
    county = rng.choice(d['home'])
    p['current'] = make_address(rng, d, county)
    if rng.random() < TURKIC:
        make_turkic(rng, d, p)
    else:
        make_han(rng, d, p, county)
    p['phone'] = mobile(rng, d) if rng.random() < 0.92 else ''
    if p['birth'].year < 1955 and rng.random() < 0.3:
        p['phone'] = f'0571-6{rng.randrange(10 ** 7):07d}'  # elderly: household landline
    p['phone_now'] = mobile(rng, d) if rng.random() < PHONE_CHANGED else p['phone']
    return p


def make_households(rng, d, persons):
    """Local residents live in households (a county's register is by household, 户): registered at
    the head's address and mostly living there; a spouse keeps their own surname, the others take
    the head's (never the name of another member); an elderly member's landline is the household's;
    a minor gives a parent's phone. So relatives share an address, a surname, a landline or a phone,
    and are different people."""
    local = [p for p in persons if not p['migrant'] and not is_turkic(p)]
    rng.shuffle(local)
    i = 0
    while i < len(local):
        size = rng.choices(HOUSEHOLD_SIZES, weights=HOUSEHOLD_WEIGHTS)[0]
        members, i = local[i:i + size], i + size
        members.sort(key=lambda m: (m['birth'], m['pid']))  # the oldest heads the household
        head = members[0]
        landline = next((m['phone'] for m in members if m['phone'].startswith('0571-')), '')
        for k, m in enumerate(members):
            if k > 0:
                moved = m['current'] is not m['hukou']
                m['hukou'] = head['hukou']
                if not moved or rng.random() < 0.5:
                    m['current'] = head['current']
                if k > 1:
                    m['surname'], m['ethnic'] = head['surname'], head['ethnic']
                # A family does not give two of its members one name.
                taken = {full_name(o) for o in members[:k]}
                while full_name(m) in taken:
                    m['given'] = rng.choice(d['given'][m['sex']])
            if landline and (m['phone'] == '' or m['birth'].year < 1960):
                m['phone'] = m['phone_now'] = landline
            elif m['birth'].year >= MINOR_FROM and k > 0 and head['phone']:
                m['phone'], m['phone_now'] = head['phone'], head['phone_now']


def make_twins(rng, d, pairs):
    """Same birth date, household, surname and phone; similar given names; different ID numbers."""
    for a, b in pairs:
        for k in ('birth', 'hukou', 'current', 'migrant', 'place', 'ethnic', 'surname', 'phone', 'phone_now'):
            b[k] = a[k]
        b['sex'], g = rng.choice('MF'), a['given']
        pool = [x for x in d['given'][b['sex']] if len(x) == len(g) and x[-1] != g[-1]]
        same = [x for x in pool if x[0] == g[0]]
        b['given'] = rng.choice(same) if same else g[0] + rng.choice(pool)[-1] if len(g) == 2 else rng.choice(pool)
        b['twin_of'] = a['pid']


def make_namesakes(pairs):
    for a, b in pairs:
        b['surname'], b['given'], b['sex'] = a['surname'], a['given'], a['sex']


def assign_ids(rng, d, persons):
    used = set()
    for p in sorted(persons, key=lambda q: 'twin_of' in q):  # twins after their sibling
        p['issued'] = max(1985, p['birth'].year)
        region = region_at(d, p['place'], p['issued'])
        seq = rng.randrange(1, 999)
        if 'twin_of' in p:
            seq = persons[p['twin_of']]['seq'] + 1
        while True:
            seq = seq % 999 or 1
            if seq % 2 == (1 if p['sex'] == 'M' else 0) and (region, p['birth'], seq) not in used:
                break
            seq += 1
        used.add((region, p['birth'], seq))
        p['seq'], p['id'] = seq, id18(region, p['birth'], seq)


def make_persons(rng, d, n):
    persons = [make_person(rng, d, i) for i in range(n)]
    make_households(rng, d, persons)
    han = [p for p in persons if not is_turkic(p)]
    few = min(2 + n // 200, len(han) // 4)  # a few twin pairs and namesake pairs, all different persons
    chosen = rng.sample(han, 4 * few)
    make_twins(rng, d, list(zip(chosen[0:few], chosen[few:2 * few])))
    make_namesakes(list(zip(chosen[2 * few:3 * few], chosen[3 * few:])))
    assign_ids(rng, d, persons)
    return persons


# ---------------------------------------------------------------- mess

def plan_mess(rng, rows, kinds):
    """Disjoint rows for each kind: kind -> (share of all rows, predicate on row). Returns {row index: kind}."""
    plan = {}
    for kind, (share, ok) in kinds.items():
        eligible = [i for i, r in enumerate(rows) if i not in plan and ok(r)]
        for i in rng.sample(eligible, min(len(eligible), max(1, round(share * len(rows))))):
            plan[i] = kind
    return plan


def mess_id(kind, p):
    n = p['id']
    return {None: n, 'fullwidth': n.translate(FULLWIDTH), 'lower_x': n[:-1] + 'x', 'apostrophe': "'" + n,
            'spaces': f'{n[:6]} {n[6:14]} {n[14:]}', 'legacy15': id15(n), 'missing': '',
            'scientific': f'{float(n):.5E}' if n.isdigit() else n}[kind]


def pinyin_name(d, p):
    """(surname, given name) in toneless pinyin, syllables joined: ('ouyang', 'xiaoming')."""
    surname = d['surname_pinyin'].get(p['surname']) or ''.join(d['pinyin'][c] for c in p['surname'])
    return surname, ''.join(d['pinyin'][c] for c in p['given'])


def mess_name(kind, p, d):
    n = full_name(p)
    if kind == 'spaced':
        return ' '.join(n)
    if kind == 'traditional':
        return ''.join(d['trad'].get(c, c) for c in n)
    if kind in LATIN:
        return LATIN[kind](*pinyin_name(d, p))
    if kind in SEPARATORS:
        return SEPARATORS[kind].join(p['parts'])
    return n


def mess_phone(kind, phone):
    if kind is None or not phone:
        return phone
    if kind.startswith('land_'):  # 0571-64123456
        area, local = phone.split('-')
        return {'land_paren': f'({area}){local}', 'land_compact': area + local,
                'land_spaced': f'{area} {local[:4]} {local[4:]}', 'land_plus86': f'+86 {area[1:]} {local}',
                'land_ext_cn': f'{phone}转{100 + int(local[-3:]) % 900}',
                'land_ext_en': f'{phone} ext {10 + int(local[-2:]) % 90}'}[kind]
    return {'plus86': f'+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}', 'spaced': f'{phone[:3]} {phone[3:7]} {phone[7:]}',
            'dashed': f'{phone[:3]}-{phone[3:7]}-{phone[7:]}', 'fullwidth': phone.translate(FULLWIDTH)}[kind]


def mess_date(kind, b):
    chinese = f'{b.year}年{b.month}月{b.day}日'
    return {'iso': f'{b:%Y-%m-%d}', 'slash': f'{b.year}/{b.month}/{b.day}', 'compact': f'{b:%Y%m%d}',
            'chinese': chinese, 'year_month': f'{b.year}年{b.month}月', 'dotted': f'{b:%Y.%m.%d}',
            'fullwidth': f'{b:%Y-%m-%d}'.translate(FULLWIDTH), 'fullwidth_chinese': chinese.translate(FULLWIDTH)}[kind]


def gender(kind, p):
    return GENDER[kind][p['sex'] == 'F']


def is_mobile(phone):
    return len(phone) == 11 and phone[0] == '1'


def is_landline(phone):
    return phone.startswith('0') and '-' in phone


def any_row(r):
    return True


# Plans are made per column from {kind: (share, predicate)}; rows are (person, phone) pairs.

def id_kinds(extra):
    x = lambda r: r[0]['id'][-1] == 'X'
    kinds = {'lower_x': (0.02, x)}
    kinds.update({k: (0.02, any_row) for k in ('fullwidth', 'apostrophe', 'spaces')})
    kinds.update(extra)
    return kinds


def name_kinds(d, share, latin_share=0.0):
    han = lambda r: not is_turkic(r[0])
    kinds = {'traditional': (share, lambda r: han(r) and any(c in d['trad'] for c in full_name(r[0]))),
             'spaced': (share, han)}
    if latin_share:
        kinds.update({k: (latin_share / len(LATIN), han) for k in LATIN})
    return kinds


def phone_kinds(mobile_share, landline_share):
    mob, land = lambda r: is_mobile(r[1]), lambda r: is_landline(r[1])
    kinds = {k: (mobile_share, mob) for k in ('plus86', 'spaced', 'dashed', 'fullwidth')}
    kinds.update({k: (landline_share, land) for k in ('land_paren', 'land_compact', 'land_spaced', 'land_plus86',
                                                     'land_ext_cn', 'land_ext_en')})
    return kinds


def date_kinds(**shares):
    return {k: (share, any_row) for k, share in shares.items()}


def make_plans(rng, rows, spec):
    return {column: plan_mess(rng, rows, kinds) for column, kinds in spec.items()}


def turkic_separators(rng, rows):
    """Outside the police register, every minority name gets another separator than the middle dot."""
    kinds = sorted(SEPARATORS)
    return {i: rng.choice(kinds) for i, (p, _) in enumerate(rows) if is_turkic(p)}


# ---------------------------------------------------------------- sources

def police_rows(rng, d, persons):
    chosen = [p for p in persons if rng.random() < COVERAGE['police']]
    rng.shuffle(chosen)
    rows = [(p, p['phone']) for p in chosen]
    han = lambda r: r[0]['ethnic'] == '汉族'
    pl = make_plans(rng, rows, {
        'id': id_kinds({}), 'name': name_kinds(d, 0.01), 'phone': phone_kinds(0.02, 0.004),
        'date': date_kinds(slash=0.02, compact=0.02, chinese=0.02, dotted=0.02, fullwidth=0.01, fullwidth_chinese=0.01),
        'gender': {'long': (0.02, any_row)},
        'ethnic': {'short': (0.02, han), 'code2': (0.01, han), 'code1': (0.01, han)}})
    out = []
    for i, (p, phone) in enumerate(rows):
        out.append((f'P{i + 1:06d}', p, [
            mess_id(pl['id'].get(i), p), mess_name(pl['name'].get(i), p, d), gender(pl['gender'].get(i, 'zh'), p),
            mess_date(pl['date'].get(i, 'iso'), p['birth']), full_address(d, p['hukou']),
            mess_phone(pl['phone'].get(i), phone), HAN_FORMS.get(pl['ethnic'].get(i), p['ethnic'])]))
    return out


def civil_rows(rng, d, persons):
    chosen = [p for p in persons if rng.random() < COVERAGE['civil'] * (0.3 if p['migrant'] else 1)]
    rng.shuffle(chosen)
    rows = [(p, p['phone'] if rng.random() < 0.5 else p['phone_now']) for p in chosen]
    legacy = lambda r: r[0]['issued'] < 1999
    pl = make_plans(rng, rows, {
        'id': id_kinds({'legacy15': (0.05, legacy)}), 'name': name_kinds(d, 0.02), 'phone': phone_kinds(0.02, 0.004),
        'date': date_kinds(year_month=0.05, chinese=0.03, slash=0.03, compact=0.02, dotted=0.02, fullwidth=0.01,
                           fullwidth_chinese=0.01),
        'gender': {'zh': (0.02, any_row), 'letter': (0.01, any_row)}})
    pl['name'].update(turkic_separators(rng, rows))
    out = []
    for i, (p, phone) in enumerate(rows):
        a = p['current'] if rng.random() < 0.5 else p['hukou']
        addr = full_address(d, a)
        addr = addr[6:] if addr.startswith('浙江省杭州市') and rng.random() < 0.8 else addr
        out.append((f'MZ{rng.randint(2010, 2024)}{i + 1:06d}', p, [
            mess_id(pl['id'].get(i), p), mess_name(pl['name'].get(i), p, d), gender(pl['gender'].get(i, 'code'), p),
            mess_date(pl['date'].get(i, 'iso'), p['birth']), addr, mess_phone(pl['phone'].get(i), phone),
            rng.choice(AID['child' if p['birth'].year > 2006 else 'old' if p['birth'].year < 1960 else 'adult'])]))
    return out


def short_address(a, dashed):
    rest = a['rest']
    if dashed and '幢' in rest:  # 188号5幢2单元302室 -> 188号5-2-302
        rest = rest.replace('幢', '-').replace('单元', '-').replace('室', '')
    return rest if dashed else a['town'] + rest


def grid_rows(rng, d, persons):
    """The visit records, and per record id what only grid.xlsx shows: the visit date, a numeric ID cell."""
    chosen = [p for p in persons if rng.random() < COVERAGE['grid']]
    chosen += [p for p in chosen if rng.random() < REVISIT]
    rng.shuffle(chosen)
    rows = [(p, p['phone_now']) for p in chosen]
    pl = make_plans(rng, rows, {
        'id': id_kinds({'missing': (0.05, any_row), 'scientific': (0.01, lambda r: r[0]['id'].isdigit())}),
        'name': name_kinds(d, 0.03, latin_share=0.02), 'phone': phone_kinds(0.02, 0.004),
        'address': {'dashed': (0.05, lambda r: '幢' in r[0]['current']['rest'])}})
    pl['name'].update(turkic_separators(rng, rows))
    out, xlsx = [], {}
    for i, (p, phone) in enumerate(rows):
        rid = f'ZF{i + 1:07d}'
        out.append((rid, p, [
            mess_id(pl['id'].get(i), p), mess_name(pl['name'].get(i), p, d),
            short_address(p['current'], i in pl['address']), mess_phone(pl['phone'].get(i), phone),
            p['current']['grid'], rng.choice(VISIT)]))
        xlsx[rid] = {'visited': FIRST_VISIT + dt.timedelta(days=rng.randrange(VISIT_DAYS)),
                     'id_cell': county_xlsx.excel_number(p['id']) if pl['id'].get(i) == 'scientific' else None}
    return out, xlsx


# ---------------------------------------------------------------- output

def csv_line(fields):
    def q(v):
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\r\n') else v
    return ','.join(q(v) for v in fields)


def inject_malformed(rng, name, header, records, prefix):
    """Two broken rows per file at seeded positions. Returns (lines, [(line, record_id, why, bad_bytes)])."""
    lines = [(rid, csv_line([rid] + vals)) for rid, _, vals in records]
    bad = []
    for k, why in enumerate(('missing column', 'extra column' if name != 'civil.csv' else 'invalid GB18030 bytes')):
        rid = f'{prefix}E{k + 1:05d}'  # an id pattern real records never use
        vals = list(rng.choice(records)[2]) if records else [''] * (len(header) - 1)
        if why == 'missing column':
            vals.pop(-2)
        elif why == 'extra column':
            vals.insert(-1, '备注')  # e.g. a stray comma from hand editing
        pos = rng.randint(0, len(lines))
        lines.insert(pos, (rid, csv_line([rid] + vals)))
        bad.append((rid, why))
    rids = {rid: why for rid, why in bad}
    found = [(n + 2, rid, rids[rid]) for n, (rid, _) in enumerate(lines) if rid in rids]
    return [l for _, l in lines], found


def write_source(out_dir, name, header, records, encoding, newline, prefix, rng):
    lines, bad = inject_malformed(rng, name, header, records, prefix)
    with open(out_dir / name, 'wb') as f:
        if encoding == 'utf-8-sig':
            f.write(b'\xef\xbb\xbf')
            encoding = 'utf-8'
        f.write((','.join(header) + newline).encode(encoding))
        broken = {line - 2 for line, _, why in bad if why.startswith('invalid')}
        for n, line in enumerate(lines):
            data = (line + newline).encode(encoding)
            if n in broken:  # bytes no GB18030 decoder accepts, spliced in after the record id
                cut = data.index(b',') + 1
                data = data[:cut] + b'\x80\xff' + data[cut:]
            f.write(data)
    return [(name, line, rid, why) for line, rid, why in bad]


def write_xlsx(out_dir, header, records, xlsx, rng):
    """grid.xlsx: the well-formed grid records plus 走访日期, and one row with a cell beyond the header."""
    rows = [header + ['走访日期']]
    for rid, _, vals in records:
        x = xlsx[rid]
        rows.append([rid, x['id_cell'] or vals[0]] + vals[1:] + [x['visited']])
    rid = 'ZFE00003'  # after grid.csv's ZFE00001 and ZFE00002
    extra = list(rng.choice(rows[1:])) if len(rows) > 1 else [''] * len(header) + [FIRST_VISIT]
    extra[0] = rid
    extra.append('已电话回访')  # a note typed into the column after the last one
    pos = rng.randint(1, len(rows))
    rows.insert(pos, extra)
    county_xlsx.write_workbook(out_dir / 'grid.xlsx', '走访记录', rows)
    return [('grid.xlsx', pos + 1, rid, 'extra column')]


def write_truth(out_dir, sources):
    with open(out_dir / 'truth.csv', 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['source', 'record_id', 'person_id'])
        for source, records in sources:
            w.writerows((source, rid, pid_str(p)) for rid, p, _ in records)


def pid_str(p):
    return f'H{p["pid"] + 1:06d}'


def write_persons(out_dir, d, persons):
    with open(out_dir / 'persons.csv', 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['person_id', 'id_number', 'name', 'sex', 'birth_date', 'ethnic', 'hukou_address',
                    'current_address', 'phone', 'current_phone', 'grid', 'twin_of'])
        for p in persons:
            twin = pid_str(persons[p['twin_of']]) if 'twin_of' in p else ''
            w.writerow([pid_str(p), p['id'], full_name(p), p['sex'], f'{p["birth"]:%Y-%m-%d}', p['ethnic'],
                        full_address(d, p['hukou']), full_address(d, p['current']), p['phone'], p['phone_now'],
                        p['current']['grid'], twin])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog='example: ops/gen-county.py --out /tmp/county --persons 10000 --seed 7 --xlsx')
    ap.add_argument('--out', required=True, type=Path, help='output directory (created if missing)')
    ap.add_argument('--persons', type=int, default=200, help='number of persons (default 200)')
    ap.add_argument('--seed', type=int, default=7, help='random seed (default 7)')
    ap.add_argument('--xlsx', action='store_true', help='also write grid.xlsx (the CSV files do not change)')
    args = ap.parse_args()
    if args.persons < 1:
        ap.error('--persons must be at least 1')
    t0 = time.monotonic()
    rng = random.Random(args.seed)
    d = load_data()
    persons = make_persons(rng, d, args.persons)
    police, civil = police_rows(rng, d, persons), civil_rows(rng, d, persons)
    grid, grid_xlsx = grid_rows(rng, d, persons)
    args.out.mkdir(parents=True, exist_ok=True)
    bad = write_source(args.out, 'police.csv', ['人员编号', '公民身份号码', '姓名', '性别', '出生日期', '户籍地址', '联系电话', '民族'],
                       police, 'utf-8', '\n', 'P', rng)
    bad += write_source(args.out, 'civil.csv', ['档案号', '身份证号', '姓名', '性别', '出生年月', '家庭住址', '手机号码', '救助类型'],
                        civil, 'gb18030', '\r\n', 'MZ', rng)
    grid_header = ['走访编号', '证件号码', '姓名', '现住址', '联系方式', '网格编码', '走访事项']
    bad += write_source(args.out, 'grid.csv', grid_header, grid, 'utf-8-sig', '\n', 'ZF', rng)
    if args.xlsx:  # its own random stream: the CSV files are the same with or without --xlsx
        bad += write_xlsx(args.out, grid_header, grid, grid_xlsx, random.Random(f'grid.xlsx/{args.seed}'))
    write_truth(args.out, [('police', police), ('civil', civil), ('grid', grid)])
    write_persons(args.out, d, persons)
    with open(args.out / 'malformed.txt', 'w', encoding='utf-8', newline='') as f:
        csv.writer(f, lineterminator='\n').writerows([('file', 'line', 'record_id', 'why')] + bad)
    print(f'gen-county: {args.persons} persons; police.csv {len(police)}, civil.csv {len(civil)}, grid.csv {len(grid)} '
          f'records{" (and grid.xlsx)" if args.xlsx else ""} (+{len(bad)} malformed rows) in {args.out} '
          f'[{time.monotonic() - t0:.1f}s]', file=sys.stderr)


if __name__ == '__main__':
    main()
