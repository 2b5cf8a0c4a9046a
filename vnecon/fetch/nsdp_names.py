"""What a National Summary Data Page series measures, in the names people use.

One function, ``describe``, turns a ``<Series>``'s attributes into an indicator's fields (name,
name_vi, region, unit, basis and the breakdown: ``sector`` for a CPI group, an IIP or PPI branch, an
industry; ``product`` and ``hs_code`` for the trade file's goods) and the power of ten its values are
multiplied by.  Names come from the indicator descriptions the statistics office publishes with the
files (``nsdp_codes.csv``, from ``dsbb_indicator_desc.csv``), cleaned of their unit notes, and from
``nsdp_products.py`` for the HS codes; measures the news reports too keep the news' names ("Export
turnover", "Consumer Price Index", "Trade balance"), so an official figure and a reported one meet in
one series.  The Vietnamese descriptions are often a row of a table ("Tổng số (Nghìn người)", "Nam",
"Ngắn hạn"): ``name_vi`` says the measure, as ``name`` does ("Lực lượng lao động: nam"), never the unit
the sheet printed (the unit is the figure's own ``unit``, after scaling).  Two traps of the files are
handled here: ``UNIT_MULT`` applies to amounts, never to rates (``LMIVNM.xml`` gives its unemployment rates ``UNIT_MULT="3"``), and ``BASE_PER`` goes into the
unit of an index ("index, 2019=100").
"""

from __future__ import annotations

import csv
import re
from collections import namedtuple
from functools import lru_cache
from pathlib import Path

from vnecon.fetch.nsdp_products import NAMED, product_of

# fields: the indicator's fields (no id, period, value); power: values are multiplied by 10**power;
# note: what the reader should know about this series (its code, scaling, a name we inferred).
Meta = namedtuple("Meta", "fields power note")

REGIONS = {"VN": "Vietnam"}
_UNIT_NOTE = re.compile(r"\s*\((?:NSA, ?Mil\.? ?US\$|Thousands\.? ?VND|Thousands|\d{4}=100)\)\s*$", re.IGNORECASE)
_TRAILING = re.compile(r",\s*(?:Index|Weight)\s*$", re.IGNORECASE)
# The Vietnamese sheets' unit notes and footnote marks: "(Nghìn người)", "(Nghìn đồng)", "(%)", "(*)".
_VI_NOTE = re.compile(r"\s*\((?:(?:Nghìn|Triệu|Tỷ|Nghìn tỷ)\s+(?:người|đồng|USD)|%|\*)\)", re.IGNORECASE)
# The descriptions' typos, mended where they would be read or searched for.
_TYPOS = {"Finacial": "Financial", "Finacing": "Financing", "Investmen ": "Investment ", "Primart": "Primary",
          "Governent": "Government", "extenal": "external", "Loterry": "Lottery", "resouces": "resources",
          "Đẩu tư": "Đầu tư", "NSNN": "ngân sách nhà nước", "DH miền Trung": "Duyên hải miền Trung"}


@lru_cache(maxsize=1)
def descriptions() -> dict[str, tuple[str, str]]:
    """Indicator code -> (English, Vietnamese) description, as the office publishes them."""
    path = Path(__file__).with_name("nsdp_codes.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["indicator"]: (r["desc"], r["desc_vn"]) for r in csv.DictReader(fh)}


def clean(text: str) -> str:
    """A description without its unit notes: 'Food, Index ' -> 'Food'; 'Exports (NSA, Mil.US$)' -> 'Exports'."""
    text = " ".join(text.split())
    for typo, word in _TYPOS.items():
        text = text.replace(typo, word)
    text = _UNIT_NOTE.sub("", _TRAILING.sub("", text))
    text = _VI_NOTE.sub("", _TRAILING.sub("", text))
    return re.sub(r"\bLabor\b", "Labour", text).strip(" ,")


def _first_lower(text: str) -> str:
    """'Hàng ăn và dịch vụ ăn uống' -> 'hàng ăn và dịch vụ ăn uống', for a breakdown after its measure."""
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _lower(text: str) -> str:
    """A breakdown in plain words: the descriptions' Title Case lowered, their typos mended."""
    text = text.lower().replace("quarying", "quarrying").replace("intermedation", "intermediation")
    return text.replace("serive", "service").replace("accomodation", "accommodation").replace(" mgt/", " management/")


def power_of(attrs: dict) -> int:
    try:
        return int(attrs.get("UNIT_MULT") or 0)
    except ValueError:
        return 0


def base_of(attrs: dict) -> str:
    base = (attrs.get("BASE_PER") or "").strip()
    return "" if base in ("", "_Z", "_X", "NA") else base


def describe(attrs: dict, file: str = "") -> Meta:
    code = attrs.get("INDICATOR", "").strip()
    domain = attrs.get("DATA_DOMAIN", "").strip().upper()
    en, vi = descriptions().get(code, ("", ""))
    region = REGIONS.get(attrs.get("REF_AREA", "VN"), attrs.get("REF_AREA", ""))
    rule = _DOMAINS.get(domain, _generic)
    fields, power, note = rule(code, clean(en), clean(vi), attrs)
    fields = {"region": region, **fields}
    partner = (attrs.get("COUNTERPART_AREA") or "").strip()
    if partner and not partner.startswith("_") and len(partner) in (2, 3):
        fields["partner"] = partner
    # Only what is particular to this series: its code is in the tags, its file in the source's title,
    # and the scaling rule in the source's note (nsdp.SCALING), so 30,000 figures do not each repeat them.
    words = []
    if power_of(attrs) and not power:
        words.append(f"the file's UNIT_MULT {power_of(attrs)} not applied: a rate or index is not scaled")
    if note:
        words.append(note)
    return Meta({k: v for k, v in fields.items() if v}, power, "; ".join(words) + "." if words else "")


# ---- one rule per data domain: (code, English, Vietnamese, attrs) -> (fields, power, note) ----------


def _index_unit(attrs: dict) -> str:
    base = base_of(attrs)
    return f"index, {base}=100" if re.fullmatch(r"\d{4}", base) else "index"


# Where the description's Vietnamese says less than its English: the housing group holds electricity,
# water and fuel too ("Housing and Material Construction including Electricity, Water and Fuel"), as the
# office's monthly CPI release names it.
_CPI_GROUPS_VI = {"PCPI_CP_04": "nhà ở, điện nước, chất đốt và vật liệu xây dựng"}


def _cpi(code, en, vi, attrs):
    if code.endswith("_PT"):
        return {"name": "Core inflation", "name_vi": "Lạm phát cơ bản", "unit": "%", "basis": "yoy"}, 0, ""
    weight = code.endswith("_WT")
    if not en:  # VNM_PCPI_PCPIFFA_WT: the weight of the group whose index is PCPIFFA_IX
        en, vi = (clean(t) for t in descriptions().get(code.replace("VNM_PCPI_", "").replace("_WT", "_IX"), ("", "")))
    total = en.lower().startswith("consumer price")
    group = _CPI_GROUPS_VI.get(code[:-3], vi.replace("Trong đó: ", ""))  # PCPI_CP_04_IX, PCPI_CP_04_WT
    # Weights are named without "CPI", so a search for the CPI finds the index, not its basket.
    fields = {"name": "Consumer basket weight" if weight else "Consumer Price Index",
              "name_vi": ("Quyền số giỏ hàng tiêu dùng" if weight else "Chỉ số giá tiêu dùng") + (
                  "" if total else f" nhóm {_first_lower(group)}"),
              "unit": "%" if weight else _index_unit(attrs), "basis": "share" if weight else "level",
              "sector": "" if total else _lower(en.replace("Of which: ", ""))}
    return fields, 0, ""


def _iip(code, en, vi, attrs):
    branch = "" if code == "AIP_ISIC4_IX" else _lower(en)
    return ({"name": "Index of Industrial Production", "name_vi": "Chỉ số sản xuất công nghiệp"
             + (f": {vi}" if branch and vi else ""), "unit": _index_unit(attrs), "basis": "level",
             "sector": branch}, 0, "")


# The labour sheet's Vietnamese rows are "Tổng số", "Nam", "Nữ" under a heading the description leaves out;
# the heading, from the English one.
_LABOUR_VI = {"Labour Force": "Lực lượng lao động", "Employment": "Lao động có việc làm",
              "Unemployed": "Số người thất nghiệp", "Average Monthly Earnings": "Tiền lương, tiền công bình quân tháng"}
_ROWS_VI = {"Tổng số": "", "Nam": "nam", "Nữ": "nữ"}
# The description's Vietnamese says "aged 15 and over"; its English and its figures (7.3% in 2017-Q1, where
# the working-age rate is 2.2%) say the youth, 15 to 24.
_LABOUR_RATES_VI = {"LUR15O_PT": "Tỷ lệ thất nghiệp của thanh niên 15-24 tuổi"}


def _labour_vi(code, en, vi):
    if code in _LABOUR_RATES_VI:
        return _LABOUR_RATES_VI[code]
    head = en.split(":", 1)[0].strip()
    if head in _LABOUR_VI:
        row = _ROWS_VI.get(vi)
        return _LABOUR_VI[head] + (f": {row}" if row else "")
    return "" if vi in _ROWS_VI else vi  # a bare "Nam" under an unknown heading says nothing


def _labour(code, en, vi, attrs):
    vi = _labour_vi(code, en, vi)
    if code.endswith("_PT"):
        return {"name": en or code, "name_vi": vi, "unit": "%", "basis": "level"}, 0, ""
    if code.endswith("_XDC"):
        return {"name": en or code, "name_vi": vi, "unit": "VND", "basis": "level"}, power_of(attrs), ""
    return {"name": en or code, "name_vi": vi, "unit": "persons", "basis": "level"}, power_of(attrs), ""


_TRADE_TOTALS = {
    "TB_USD": ("Trade balance", "Cán cân thương mại hàng hóa", ""),
    "TXG_FOB_USD": ("Export turnover", "Kim ngạch xuất khẩu", ""),
    "TMG_CIF_USD": ("Import turnover", "Kim ngạch nhập khẩu", ""),
    # The descriptions call both export splits "Exports"/"Domestic"; the figures say which is which:
    # TXGBD + VNM_TXG_FS = TXG (October 2024: 10,297 + 25,290 = 35,587 million USD), and the foreign-invested
    # sector is the larger part.
    "TXGBD_FOB_USD": ("Export turnover", "Kim ngạch xuất khẩu: Khu vực kinh tế trong nước", "domestic sector"),
    "VNM_TXG_FS_FOB_USD": ("Export turnover", "Kim ngạch xuất khẩu: Khu vực có vốn đầu tư nước ngoài",
                           "foreign-invested sector"),
    "VNM_TMG_DS_CIF_USD": ("Import turnover", "Kim ngạch nhập khẩu: Khu vực kinh tế trong nước", "domestic sector"),
    "VNM_TMG_FS_CIF_USD": ("Import turnover", "Kim ngạch nhập khẩu: Khu vực có vốn đầu tư nước ngoài",
                           "foreign-invested sector"),
}


def _trade(code, en, vi, attrs):
    power = power_of(attrs)
    if code in _TRADE_TOTALS:
        name, name_vi, sector = _TRADE_TOTALS[code]
        note = "which sector this is was read from the totals" if sector and code.startswith(("TXGBD", "VNM_TXG")) else ""
        return {"name": name, "name_vi": name_vi, "unit": "USD", "basis": "level", "sector": sector}, power, note
    exports = code.startswith(("TXG", "VNM_TXG"))
    m = re.fullmatch(r"T[XM]G_H5_(.+)_(?:FOB|CIF)_USD", code)
    hs = m[1] if m else ""
    product = product_of(hs, exports) if hs else NAMED.get(code)
    if product is None:
        product = (_lower(en.split(": ", 1)[-1]) if en else code, vi)
    flow = "Export turnover" if exports else "Import turnover"
    flow_vi = "Kim ngạch xuất khẩu" if exports else "Kim ngạch nhập khẩu"
    return ({"name": flow, "name_vi": f"{flow_vi}: {product[1]}" if product[1] else flow_vi, "unit": "USD",
             "basis": "level", "product": product[0], "hs_code": hs}, power, "")


def _prices(attrs) -> str:
    base = base_of(attrs)
    return f"constant {base} prices" if base else "current prices"


def _prices_vi(attrs) -> str:
    base = base_of(attrs)
    return f"giá so sánh {base}" if base else "giá hiện hành"


# The expenditure side of GDP, by the code's stem (NC_XDC, NC_R_XDC, NC_R_BY1994_XDC): the descriptions'
# Vietnamese abbreviates ("TDCC Nhà nước"), is missing for the 1994 prices, and swaps exports and imports
# at current prices (NX_XDC "Nhập khẩu", though NX - NM is the net exports NNXGS_XDC).
_GDP_ITEMS_VI = {"NGDP": "Tổng sản phẩm trong nước", "NC": "Tiêu dùng cuối cùng",
                 "NCGG": "Tiêu dùng cuối cùng của Nhà nước", "NCG": "Tiêu dùng cuối cùng của Nhà nước",
                 "NCP": "Tiêu dùng cuối cùng của hộ dân cư", "NI": "Tích lũy tài sản",
                 "NFI": "Tích lũy tài sản cố định", "NINV": "Thay đổi tồn kho",
                 "NNXGS": "Chênh lệch xuất, nhập khẩu hàng hóa và dịch vụ", "NX": "Xuất khẩu hàng hóa và dịch vụ",
                 "NM": "Nhập khẩu hàng hóa và dịch vụ", "NSDGDP": "Sai số thống kê",
                 "NGDPTXS": "Thuế sản phẩm trừ trợ cấp sản phẩm"}


# A branch the English description names by less than it is: ISIC 4 section G, "Vehicles and motorcycles",
# is the wholesale and retail trade (its Vietnamese: "Bán buôn bán lẻ, sửa chữa ô tô, mô tô, xe máy...").
_GVA_SECTORS = {"G": "wholesale and retail trade; repair of motor vehicles and motorcycles"}


def _gdp(code, en, vi, attrs):
    item = en.split(": ", 1)[-1] if en else code
    prices = _prices(attrs)
    system = ", 1994 classification" if "ISIC3" in code else ""
    if "ISIC" in code:
        # The Vietnamese description is the branch alone ("Nông nghiệp"); the measure is its value added.
        # The 1994 classification's branches have no Vietnamese: no name_vi rather than a guess.
        name_vi = f"Giá trị tăng thêm theo {_prices_vi(attrs)}: {_first_lower(vi)}" if vi and not system else ""
        sector = _GVA_SECTORS.get(re.sub(r"^(?:VNM_)?NGDPVA_(?:R_)?ISIC4_([A-Z0-9]+)_XDC$", r"\1", code), _lower(item))
        return ({"name": f"Gross value added at {prices}{system}", "name_vi": name_vi, "unit": "VND",
                 "basis": "level", "sector": sector}, power_of(attrs), "")
    item = re.sub(r"^(Real )?Gross Domestic Product$", "GDP", item)
    stem = re.sub(r"(?:_R)?(?:_PA)?(?:_BY1994)?_XDC$", "", code)
    name_vi = vi
    if stem in _GDP_ITEMS_VI and en:  # a code without a description (NCG_XDC) stays unnamed in both
        name_vi = f"{_GDP_ITEMS_VI[stem]} theo {_prices_vi(attrs)}"
        if "_PA" in code:  # the production side's total, from the table by branch
            name_vi += ", phân theo ngành kinh tế"
    return {"name": f"{item} at {prices}", "name_vi": name_vi, "unit": "VND", "basis": "level"}, power_of(attrs), ""


def _ppi(code, en, vi, attrs):
    branch = _lower(en.split(": ", 1)[-1]) if en else code
    return ({"name": "Producer Price Index", "name_vi": "Chỉ số giá sản xuất" + (f": {vi}" if vi else ""),
             "unit": _index_unit(attrs), "basis": "level", "sector": branch.replace("industrial", "industry")},
            0, "the file gives no base period (BASE_PER _Z)")


_AREAS = {"RRD": "Red River Delta", "NMM": "Northern Midlands and Mountains", "NCCC": "North Central and Central Coast",
          "CH": "Central Highlands", "SE": "South East", "MRD": "Mekong River Delta"}


_POPULATION = {"LP_PE_NUM": ("Population", "Dân số"), "LPM_PE_NUM": ("Population: male", "Dân số: nam"),
               "LPF_PE_NUM": ("Population: female", "Dân số: nữ"),
               "LPU_PE_NUM": ("Population: urban", "Dân số: thành thị"),
               "LPR_PE_NUM": ("Population: rural", "Dân số: nông thôn")}


def _population(code, en, vi, attrs):
    m = re.fullmatch(r"VNM_LP_([A-Z]+)_PE_NUM", code)
    if m and m[1] in _AREAS:  # the Vietnamese description is the region alone
        name, name_vi = f"Population: {_AREAS[m[1]]}", f"Dân số: {vi}" if vi else ""
    else:
        name, name_vi = _POPULATION.get(code, (en or code, vi))
    return {"name": name, "name_vi": name_vi, "unit": "persons", "basis": "level"}, power_of(attrs), ""


def _exchange(code, en, vi, attrs):
    end = code.startswith("ENDE")
    return ({"name": "Exchange rate, VND per USD, " + ("end of period" if end else "period average"),
             "name_vi": "Tỷ giá VND/USD " + ("cuối kỳ" if end else "bình quân kỳ"), "unit": "VND per USD",
             "basis": "level"}, 0, "the State Bank's reference (central) rate")


def _interest(code, en, vi, attrs):
    return ({"name": f"{en or code} (State Bank of Vietnam)", "name_vi": f"{vi} của Ngân hàng Nhà nước" if vi else "",
             "unit": "%", "basis": "level"}, 0, "")


# A row that already names its table ("Tổng chi ngân sách nhà nước") is not prefixed with it again.
_TABLE_WORDS_VI = {"Ngân sách nhà nước: ": ("ngân sách",), "Cán cân thanh toán: ": ("cán cân thanh toán",),
                   "Nợ Chính phủ: ": ("nợ chính phủ",)}


def _amount(prefix: str, unit: str, prefix_vi: str, path=None):
    """A table of amounts (the balance of payments, the budget): its name the table's, then the row's, in
    both languages; ``path`` gives a row the rows above it where its description is a bare "Banks"."""
    def rule(code, en, vi, attrs):
        if path:
            en, vi = path(code, en, vi)
        if vi and not any(w in vi.lower() for w in _TABLE_WORDS_VI.get(prefix_vi, ("",))):
            vi = f"{prefix_vi}{vi}"
        if code.endswith("_PT"):
            return {"name": f"{prefix}{en or code}", "name_vi": vi, "unit": "%", "basis": "share"}, 0, ""
        label = en or f"series {code}"
        return {"name": f"{prefix}{label}", "name_vi": vi, "unit": unit, "basis": "level"}, power_of(attrs), ""
    return rule


# The balance of payments' financial account, row by row: a row's description ("Banks", "Disbursements",
# "Chính phủ") is read under the rows above it; the figures add up so (2021-Q2: BFOCDA 628 = BFOCDADC 1,212 +
# BFOCDAO -584; BFOLNLOD_MLT 3,624 = BFOLNLGD_MLT 164 + BFOLNLOOD_MLT 3,460, million USD).
_BOP_PARENT = {"BFOCDA": "BFOA", "BFOLNA": "BFOA", "BFOTA": "BFOA", "BFORA": "BFOA",
               "BFOCDADC": "BFOCDA", "BFOCDAO": "BFOCDA",
               "BFOCDL": "BFOL", "BFOLNL": "BFOL", "BFOTL": "BFOL", "BFORPL": "BFOL",
               "BFOCDLDC": "BFOCDL", "BFOCDLO": "BFOCDL",
               "BFOLNLO_S": "BFOLNL", "BFOLNLOD_S": "BFOLNLO_S", "BFOLNLOSA_S": "BFOLNLO_S",
               "BFOLNLO_MLT": "BFOLNL", "BFOLNLOD_MLT": "BFOLNLO_MLT", "BFOLNLOSA_MLT": "BFOLNLO_MLT",
               "BFOLNLGD_MLT": "BFOLNLOD_MLT", "BFOLNLOOD_MLT": "BFOLNLOD_MLT",
               "BFOLNLGSA_MLT": "BFOLNLOSA_MLT", "BFOLNLOOSA_MLT": "BFOLNLOSA_MLT"}


def _bop_path(code, en, vi):
    row = re.sub(r"^VNM_(.+)_BP6_USD$", r"\1", code)
    names_en, names_vi = [en], [vi]
    while row in _BOP_PARENT:
        row = _BOP_PARENT[row]
        up_en, up_vi = (clean(t) for t in descriptions().get(f"VNM_{row}_BP6_USD", ("", "")))
        names_en.insert(0, up_en)
        names_vi.insert(0, up_vi)
    if not all(names_en):
        return en, vi
    # "Other Investment: Liabilities" + "Loans" + "Short Term" -> "Other Investment: Liabilities: loans: short term"
    return (": ".join(names_en[:1] + [t.lower() for t in names_en[1:]]),
            ": ".join(names_vi[:1] + [_first_lower(t) for t in names_vi[1:]]) if all(names_vi) else "")


# The budget file's "Overall Balance" is expenditure less revenue (2022-Q1: 351,335 - 460,600 = -109,265
# billion VND, GGBE_XDC - GGBRG_XDC), the office's "Bội chi": a deficit, negative in a quarter of surplus.
# Named as the news name the deficit, so the two meet; the share of GDP is printed as a fraction (-0.0512,
# GGBOB_XDC / GGBNGDP_XDC), given here in percent as the news give it.
_BUDGET = {
    "VNM_GGO_GGBOB_XDC": ({"name": "State budget deficit", "name_vi": "Bội chi ngân sách nhà nước", "unit": "VND",
                           "basis": "level"}, None,
                          ("expenditure less revenue and grants, as the file gives it under 'Overall Balance': "
                           "a negative figure is a surplus")),
    "VNM_GGO_GGBOB_GDP_PT": ({"name": "State budget deficit", "name_vi": "Bội chi ngân sách nhà nước",
                              "unit": "% of GDP", "basis": "share"}, 2,
                             ("the deficit over GDP, which the file gives as a fraction (its UNIT_MULT not applied), "
                              "here times 100; a negative figure is a surplus")),
}


def _budget(code, en, vi, attrs):
    if code in _BUDGET:
        fields, power, note = _BUDGET[code]
        return dict(fields), power_of(attrs) if power is None else power, note
    return _amount("State budget: ", "VND", "Ngân sách nhà nước: ")(code, en, vi, attrs)


_EXD = {"D": ("External debt outstanding", "Dư nợ nước ngoài"), "DD": ("External debt disbursements", "Rút vốn nợ nước ngoài"),
        "DDS": ("External debt service", "Trả nợ nước ngoài"), "DDSPP": ("External debt principal repayments", "Trả nợ gốc nước ngoài"),
        "DDSIP": ("External debt interest and fees", "Trả lãi và phí nợ nước ngoài")}


def _external_debt(code, en, vi, attrs):
    m = re.fullmatch(r"(?:VNM_EXD_)?([GP]?)(D|DD|DDS|DDSPP|DDSIP)_XDC", code)
    if not m:
        return _amount("", "VND", "")(code, en, vi, attrs)
    name, name_vi = _EXD[m[2]]
    who = {"G": ("government", "của Chính phủ"), "P": ("enterprises", "của doanh nghiệp")}.get(m[1], ("", ""))
    return ({"name": name, "name_vi": f"{name_vi} {who[1]}".strip(), "unit": "VND", "basis": "level",
             "sector": who[0]}, power_of(attrs), "")


_INDICES = {"VNM_VN_EOP_IX": "VN-Index", "VNM_HNX_EOP_IX": "HNX-Index", "VNM_VN30_EOP_IX": "VN30-Index",
            "VNM_HNX30_EOP_IX": "HNX30-Index", "VNM_VNX_EOP_IX": "VNX Allshare Index"}


def _stocks(code, en, vi, attrs):
    name = _INDICES.get(code, en or code)
    base = base_of(attrs)
    name_vi = f"{name}, cuối tháng" if code in _INDICES else vi  # the description: "Giá trị VNI index"
    return ({"name": f"{name}, end of month", "name_vi": name_vi, "unit": "points", "basis": "level"}, 0,
            f"base date as the file gives it: {base}" if base else "")


def _generic(code, en, vi, attrs):
    """Another country's file, or a domain not known here: the unit from the code's ending."""
    power = power_of(attrs)
    if code.endswith("_IX"):
        return {"name": en or code, "name_vi": vi, "unit": _index_unit(attrs), "basis": "level"}, 0, ""
    if code.endswith(("_PT", "_PA")):
        return {"name": en or code, "name_vi": vi, "unit": "%", "basis": "level"}, 0, ""
    unit = "USD" if code.endswith("_USD") else "national currency" if code.endswith("_XDC") else \
        "persons" if code.endswith("_NUM") else "units"
    return {"name": en or code, "name_vi": vi, "unit": unit, "basis": "level"}, power, ""


_DOMAINS = {
    "CPI": _cpi, "IND": _iip, "LMI": _labour, "MET": _trade, "NAG": _gdp, "PPI": _ppi, "POP": _population,
    "EXR": _exchange, "INR": _interest,
    "BOP6": _amount("Balance of payments: ", "USD", "Cán cân thanh toán: ", _bop_path),
    "CGD": _amount("Central government debt: ", "VND", "Nợ Chính phủ: "),
    "GGO": _budget,
    "EXD": _external_debt, "SPI": _stocks,
}
