"""A made-up facts tree shaped like the bundled data (issue 38's question set): monthly PMI, CPI
(headline, m/m, core, average since January), industrial production, trade by month, partner
and product, FDI by origin, GDP quarters with first estimates and revisions, GDP in dollars,
provinces with ranks, retail sales, money, public finance, labour, enterprises, tourism,
firms' results and a history of 2011-2019.  Every number is made up by a formula; none is a
real figure.  Gaps on purpose: no CPI y/y for 2025-09, no PMI for 2026."""

from __future__ import annotations

MONTHS = "January February March April May June July August September October November December".split()

ALIASES = '''
[[alias]]
names = ["Vietnam", "Việt Nam", "Viet Nam"]
[[alias]]
names = ["United States", "US", "USA", "Mỹ", "Hoa Kỳ"]
[[alias]]
names = ["China", "Trung Quốc"]
[[alias]]
names = ["Japan", "Nhật Bản"]
[[alias]]
names = ["South Korea", "Korea", "Hàn Quốc"]
[[alias]]
names = ["European Union", "EU"]
[[alias]]
names = ["Hà Nội", "Hanoi", "Ha Noi"]
[[alias]]
names = ["Thành phố Hồ Chí Minh", "Ho Chi Minh City", "HCMC", "TP HCM"]
[[alias]]
names = ["PMI", "Purchasing Managers' Index", "Chỉ số Nhà quản trị mua hàng"]
[[alias]]
names = ["CPI", "Consumer Price Index", "Chỉ số giá tiêu dùng"]
[[alias]]
names = ["IIP", "Index of Industrial Production", "industrial production", "Chỉ số sản xuất công nghiệp"]
[[alias]]
names = ["GDP", "Gross Domestic Product", "Tổng sản phẩm trong nước"]
[[alias]]
names = ["GRDP", "Gross Regional Domestic Product", "Tổng sản phẩm trên địa bàn"]
[[alias]]
names = ["exports", "export", "export turnover", "Kim ngạch xuất khẩu", "xuất khẩu"]
[[alias]]
names = ["imports", "import", "import turnover", "Kim ngạch nhập khẩu", "nhập khẩu"]
[[alias]]
names = ["FDI", "foreign direct investment", "Đầu tư trực tiếp nước ngoài", "vốn FDI"]
[[alias]]
names = ["retail sales", "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", "bán lẻ"]
[[alias]]
names = ["yoy", "year-on-year", "y/y", "so với cùng kỳ"]
[[alias]]
names = ["mom", "month-on-month", "m/m"]
[[alias]]
names = ["SBV", "State Bank of Vietnam", "Ngân hàng Nhà nước"]
[[alias]]
names = ["unemployment rate", "tỷ lệ thất nghiệp", "thất nghiệp"]
[[alias]]
names = ["tourists", "international arrivals", "khách quốc tế", "foreign visitors"]
[[alias]]
names = ["phones", "phones and components", "điện thoại", "mobile phones"]
[[alias]]
names = ["coffee", "cà phê"]
[[alias]]
names = ["rice", "gạo"]
'''

SOURCE = '''
[[source]]
id = "a-src"
publisher = "Made-up wire"
title = "Synthetic figures for answer tests"
date = "2026-02-05"
url = "https://example.org/a-src"

[[source]]
id = "a-src-lychee"
publisher = "Made-up farm news"
title = "Lychee promotion lifts import turnover talk in Bac Giang"
date = "2025-06-10"
url = "https://example.org/a-src-lychee"

[[source]]
id = "a-src-first"
publisher = "Made-up wire"
title = "First estimates"
date = "2024-10-06"
url = "https://example.org/a-src-first"
'''

PROVINCES = [("hanoi", "Hà Nội"), ("hcmc", "Thành phố Hồ Chí Minh"), ("bac-ninh", "Bắc Ninh"),
             ("bac-giang", "Bắc Giang"), ("hai-phong", "Hải Phòng"), ("binh-duong", "Bình Dương"),
             ("dong-nai", "Đồng Nai"), ("quang-ninh", "Quảng Ninh"), ("thanh-hoa", "Thanh Hóa"), ("da-nang", "Đà Nẵng")]
GRDP = {2024: [6.5, 7.2, 6.0, 13.9, 10.3, 7.5, 7.0, 11.0, 9.8, 7.3], 2025: [8.2, 8.0, 6.6, 12.1, 11.8, 7.4, 8.1, 12.5, 9.0, 5.9]}
PARTNERS = [("us", "United States", 119.5), ("cn", "China", 61.2), ("jp", "Japan", 24.6), ("kr", "South Korea", 25.6),
            ("eu", "European Union", 51.7)]
PRODUCTS = [("phones", "phones and components", 53.9), ("electronics", "electronics and computers", 72.6),
            ("coffee", "coffee", 5.6), ("rice", "rice", 5.7), ("textiles", "textiles and garments", 37.0)]
FDI_FROM = [("sg", "Singapore", 10.2), ("kr", "South Korea", 7.1), ("jp", "Japan", 3.4), ("cn", "China", 4.7)]


def ind(fid: str, **fields) -> str:
    lines = ["[[indicator]]", f'id = "{fid}"']
    sources = fields.pop("sources", ["a-src"])
    for k, v in fields.items():
        if isinstance(v, str):
            lines.append(f'{k} = "{v}"')
        elif isinstance(v, list):
            lines.append(f"{k} = [{', '.join(repr(x).replace(chr(39), chr(34)) for x in v)}]")
        else:
            lines.append(f"{k} = {v}")
    lines.append(f"sources = [{', '.join(f'{chr(34)}{s}{chr(34)}' for s in sources)}]")
    return "\n".join(lines) + "\n"


def _vn(**fields) -> dict:
    return {"region": "Vietnam", **fields}


def monthly(parts: list[str]) -> None:
    for y in range(2020, 2026):
        for m in range(1, 13):
            i = (y - 2020) * 12 + m
            pmi = {(2024, 9): 47.3, (2024, 7): 54.7}.get((y, m), round(49.5 + (i * 37 % 40) / 10, 1))
            parts.append(ind(f"vn-pmi-{y}-{m:02d}", name="Purchasing Managers' Index (manufacturing)",
                             name_vi="Chỉ số Nhà quản trị mua hàng", period=f"{y}-{m:02d}", value=pmi, unit="points",
                             basis="level", tags=["PMI"], **_vn()))
            if y < 2022:
                continue
            if (y, m) != (2025, 9):
                parts.append(ind(f"vn-cpi-{y}-{m:02d}-yoy", name="Consumer Price Index", name_vi="Chỉ số giá tiêu dùng",
                                 period=f"{y}-{m:02d}", value=round(2 + (i * 13 % 25) / 10, 2), unit="%", basis="yoy",
                                 tags=["CPI", "inflation"], **_vn()))
            parts.append(ind(f"vn-cpi-{y}-{m:02d}-mom", name="Consumer Price Index", name_vi="Chỉ số giá tiêu dùng",
                             period=f"{y}-{m:02d}", value=round(-0.3 + (i * 7 % 9) / 10, 2), unit="%", basis="mom",
                             tags=["CPI", "inflation"], **_vn()))
            parts.append(ind(f"vn-core-{y}-{m:02d}-yoy", name="Core inflation", name_vi="Lạm phát cơ bản",
                             period=f"{y}-{m:02d}", value=round(2.5 + (i * 5 % 11) / 10, 2), unit="%", basis="yoy",
                             tags=["CPI", "inflation"], **_vn()))
            if m > 1:
                parts.append(ind(f"vn-cpi-avg-{y}-01-{m:02d}-yoy", name="Consumer Price Index, average since January",
                                 name_vi="CPI bình quân", period=f"{y}-01/{y}-{m:02d}",
                                 value=round(3 + (i * 3 % 7) / 10, 2), unit="%", basis="yoy", tags=["CPI", "inflation"],
                                 **_vn()))
            if y < 2023:
                continue
            parts.append(ind(f"vn-iip-{y}-{m:02d}-yoy", name="Index of Industrial Production",
                             name_vi="Chỉ số sản xuất công nghiệp", period=f"{y}-{m:02d}",
                             value=round(3 + (i * 11 % 90) / 10, 1), unit="%", basis="yoy", **_vn()))
            for flow, name, vi, base in (("exports", "Export turnover", "Kim ngạch xuất khẩu", 30),
                                         ("imports", "Import turnover", "Kim ngạch nhập khẩu", 28)):
                parts.append(ind(f"vn-{flow}-{y}-{m:02d}", name=name, name_vi=vi, period=f"{y}-{m:02d}",
                                 value=(base * 1000 + i * 90) * 1_000_000, unit="USD", basis="level", tags=[flow],
                                 **_vn()))
                parts.append(ind(f"vn-{flow}-{y}-{m:02d}-yoy", name=name, name_vi=vi, period=f"{y}-{m:02d}",
                                 value=round(5 + (i * 17 % 150) / 10, 1), unit="%", basis="yoy", tags=[flow], **_vn()))
            parts.append(ind(f"vn-retail-{y}-{m:02d}", name="Retail sales of goods and services",
                             name_vi="Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", period=f"{y}-{m:02d}",
                             value=(520 + i) * 1_000_000_000_000, unit="VND", basis="level", tags=["retail"], **_vn()))
            parts.append(ind(f"vn-arrivals-{y}-{m:02d}", name="International arrivals", name_vi="Khách quốc tế đến",
                             period=f"{y}-{m:02d}", value=1_400_000 + i * 20_000, unit="visits", basis="level",
                             tags=["tourism"], **_vn()))
        if y >= 2023:
            parts.append(ind(f"vn-retail-{y}-01-10", name="Retail sales of goods and services",
                             name_vi="Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", period=f"{y}-01/{y}-10",
                             value=(5200 + y % 10 * 100) * 1_000_000_000_000, unit="VND", basis="level",
                             tags=["retail"], **_vn()))
            parts.append(ind(f"vn-retail-{y}-01-10-yoy", name="Retail sales of goods and services",
                             name_vi="Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", period=f"{y}-01/{y}-10",
                             value=round(8 + y % 10 / 10, 1), unit="%", basis="yoy", tags=["retail"], **_vn()))


def annual(parts: list[str]) -> None:
    for y in (2023, 2024, 2025):
        k = y - 2022
        for flow, name, vi, base in (("exports", "Export turnover", "Kim ngạch xuất khẩu", 355),
                                     ("imports", "Import turnover", "Kim ngạch nhập khẩu", 327)):
            parts.append(ind(f"vn-{flow}-{y}", name=name, name_vi=vi, period=str(y),
                             value=(base + 40 * k) * 1_000_000_000, unit="USD", basis="level", tags=[flow, "trade"],
                             **_vn()))
            parts.append(ind(f"vn-{flow}-{y}-yoy", name=name, name_vi=vi, period=str(y), value=round(4.4 + 5 * k, 1),
                             unit="%", basis="yoy", tags=[flow, "trade"], **_vn()))
            for code, partner, v in PARTNERS:
                f = "ex" if flow == "exports" else "im"
                parts.append(ind(f"tp-{code}-{f}-{y}", name=name, name_vi=vi, period=str(y), partner=partner,
                                 value=int((v + k * 3 if f == "ex" else v / 3 + k) * 1_000_000_000), unit="USD",
                                 basis="level", tags=["trade", "trade by partner", flow], **_vn()))
                parts.append(ind(f"tp-{code}-{f}-{y}-yoy", name=name, name_vi=vi, period=str(y), partner=partner,
                                 value=round(3 + k * 4 + v % 7, 1), unit="%", basis="yoy",
                                 tags=["trade", "trade by partner", flow], **_vn()))
            if flow == "exports":
                for code, product, v in PRODUCTS:
                    parts.append(ind(f"tx-{code}-{y}", name=name, name_vi=vi, period=str(y), product=product,
                                     value=int((v + k) * 1_000_000_000), unit="USD", basis="level",
                                     tags=["trade", "trade by product", flow], **_vn()))
                    parts.append(ind(f"tx-{code}-{y}-yoy", name=name, name_vi=vi, period=str(y), product=product,
                                     value=round(2 + k * 3 + v % 9, 1), unit="%", basis="yoy",
                                     tags=["trade", "trade by product", flow], **_vn()))
        parts.append(ind(f"vn-trade-balance-{y}", name="Trade balance", name_vi="Cán cân thương mại", period=str(y),
                         value=(20 + k) * 1_000_000_000, unit="USD", basis="level", tags=["trade"], **_vn()))
        parts.append(ind(f"vn-fdi-{y}", name="Registered foreign direct investment", name_vi="Vốn FDI đăng ký",
                         period=str(y), value=(36 + k * 2) * 1_000_000_000, unit="USD", basis="level", tags=["FDI"],
                         **_vn()))
        parts.append(ind(f"vn-fdi-disbursed-{y}", name="Disbursed foreign direct investment",
                         name_vi="Vốn FDI giải ngân", period=str(y), value=(23 + k) * 1_000_000_000, unit="USD",
                         basis="level", tags=["FDI"], **_vn()))
        for code, partner, v in FDI_FROM:
            parts.append(ind(f"fdi-{code}-{y}", name="Registered foreign direct investment", name_vi="Vốn FDI đăng ký",
                             period=str(y), partner=partner, value=int((v + k / 2) * 1_000_000_000), unit="USD",
                             basis="level", tags=["FDI", "FDI by origin"], **_vn()))
        parts.append(ind(f"vn-gdp-{y}-yoy", name="Gross Domestic Product", name_vi="Tổng sản phẩm trong nước",
                         period=str(y), value=round(5 + k * 0.9, 2), unit="%", basis="yoy", tags=["GDP"], **_vn()))
        parts.append(ind(f"vn-gdp-{y}-usd", name="GDP at current prices", name_vi="Quy mô GDP theo giá hiện hành",
                         period=str(y), value=(430 + k * 45) * 1_000_000_000, unit="USD", basis="level", tags=["GDP"],
                         **_vn()))
        parts.append(ind(f"vn-gdp-per-capita-{y}", name="GDP per capita", name_vi="GDP bình quân đầu người",
                         period=str(y), value=4300 + k * 350, unit="USD", basis="level", tags=["GDP"], **_vn()))
        for q in range(1, 5):
            v = round(5 + ((y * 4 + q) * 7 % 30) / 10, 2)
            parts.append(ind(f"vn-gdp-{y}-q{q}-yoy", name="Gross Domestic Product", name_vi="Tổng sản phẩm trong nước",
                             period=f"{y}-Q{q}", value=v, unit="%", basis="yoy", tags=["GDP"], note="First estimate.",
                             sources=["a-src-first"] if (y, q) == (2024, 3) else ["a-src"], **_vn()))
            if y < 2025:
                parts.append(ind(f"vn-gdp-{y}-q{q}-yoy-rev", name="Gross Domestic Product",
                                 name_vi="Tổng sản phẩm trong nước", period=f"{y}-Q{q}", value=round(v + 0.07, 2),
                                 unit="%", basis="yoy", tags=["GDP"], revises=f"vn-gdp-{y}-q{q}-yoy",
                                 note="Revised a year later."))
        # money, public finance, labour, enterprises, tourism
        parts.append(ind(f"mn-credit-{y}", name="Credit growth", name_vi="Tăng trưởng tín dụng", period=str(y),
                         value=round(13 + k, 1), unit="%", basis="growth", tags=["money", "credit"], **_vn()))
        parts.append(ind(f"mn-usd-vnd-{y}", name="Central exchange rate, VND per US dollar", name_vi="Tỷ giá trung tâm",
                         period=f"{y}-12-31", value=24000 + k * 150, unit="VND", basis="level", tags=["money"],
                         **_vn()))
        parts.append(ind(f"pf-revenue-{y}", name="State budget revenue", name_vi="Thu ngân sách nhà nước",
                         period=str(y), value=(1_700 + k * 200) * 1_000_000_000_000, unit="VND", basis="level",
                         tags=["public finance", "budget"], **_vn()))
        parts.append(ind(f"pf-deficit-{y}", name="State budget deficit", name_vi="Bội chi ngân sách", period=str(y),
                         value=round(3.0 + k / 10, 1), unit="% of GDP", basis="share", tags=["public finance", "budget"],
                         **_vn()))
        parts.append(ind(f"pf-public-debt-{y}", name="Public debt", name_vi="Nợ công", period=str(y),
                         value=round(37 - k, 1), unit="% of GDP", basis="share", tags=["public finance", "debt"],
                         **_vn()))
        parts.append(ind(f"lb-unemp-{y}", name="Unemployment rate (working age)",
                         name_vi="Tỷ lệ thất nghiệp trong độ tuổi lao động", period=str(y), value=round(2.3 - k / 20, 2),
                         unit="%", basis="level", tags=["labour", "unemployment"], **_vn()))
        parts.append(ind(f"lb-unemp-youth-{y}", name="Unemployment rate (youth 15-24)",
                         name_vi="Tỷ lệ thất nghiệp thanh niên", period=str(y), value=round(8 + k / 5, 2), unit="%",
                         basis="level", tags=["labour", "unemployment"], **_vn()))
        parts.append(ind(f"lb-unemp-youth-rural-{y}", name="Unemployment rate (youth 15-24, rural)",
                         name_vi="Tỷ lệ thất nghiệp thanh niên nông thôn", period=str(y), value=round(7 + k / 5, 2),
                         unit="%", basis="level", tags=["labour", "unemployment"], **_vn()))
        parts.append(ind(f"lb-income-{y}", name="Average monthly income of workers",
                         name_vi="Thu nhập bình quân tháng của người lao động", period=str(y),
                         value=(7_500_000 + k * 500_000), unit="VND", basis="level", tags=["labour", "income"], **_vn()))
        parts.append(ind(f"lb-labour-force-{y}", name="Labour force", name_vi="Lực lượng lao động", period=str(y),
                         value=52_400_000 + k * 300_000, unit="persons", basis="level", tags=["labour"], **_vn()))
        parts.append(ind(f"en-new-{y}", name="Newly registered enterprises", name_vi="Doanh nghiệp thành lập mới",
                         period=str(y), value=150_000 + k * 10_000, unit="firms", basis="level", tags=["enterprises"],
                         **_vn()))
        parts.append(ind(f"en-exits-{y}", name="Enterprises withdrawing from the market",
                         name_vi="Doanh nghiệp rút lui khỏi thị trường", period=str(y), value=170_000 + k * 8000,
                         unit="firms", basis="level", tags=["enterprises"], **_vn()))
        parts.append(ind(f"vn-arrivals-{y}", name="International arrivals", name_vi="Khách quốc tế đến", period=str(y),
                         value=12_600_000 + k * 3_000_000, unit="visits", basis="level", tags=["tourism"], **_vn()))
    for y in range(2011, 2020):
        parts.append(ind(f"h-gdp-{y}-yoy", name="Gross Domestic Product", name_vi="Tổng sản phẩm trong nước",
                         period=str(y), value=round(5.2 + (y * 7 % 20) / 10, 2), unit="%", basis="yoy",
                         tags=["GDP", "history"], **_vn()))
        parts.append(ind(f"h-exports-{y}", name="Export turnover", name_vi="Kim ngạch xuất khẩu", period=str(y),
                         value=(97 + (y - 2011) * 20) * 1_000_000_000, unit="USD", basis="level",
                         tags=["exports", "history"], **_vn()))
        parts.append(ind(f"h-cpi-{y}-yoy", name="Consumer Price Index, annual average",
                         name_vi="CPI bình quân năm", period=str(y), value=round(18.6 if y == 2011 else 2 + y % 4, 2),
                         unit="%", basis="yoy", tags=["CPI", "inflation", "history"], **_vn()))


def places(parts: list[str]) -> None:
    for y, values in GRDP.items():
        order = sorted(range(len(PROVINCES)), key=lambda j: -values[j])
        for j, ((slug, region), v) in enumerate(zip(PROVINCES, values)):
            parts.append(ind(f"{slug}-grdp-{y}-yoy", name="Gross Regional Domestic Product",
                             name_vi="Tổng sản phẩm trên địa bàn", region=region, period=str(y), value=v, unit="%",
                             basis="yoy", tags=["GRDP"]))
            parts.append(ind(f"{slug}-grdp-rank-{y}", name="GRDP growth rank among provinces",
                             name_vi="Xếp hạng tăng trưởng GRDP", region=region, period=str(y),
                             value=order.index(j) + 1, unit="rank", basis="level", tags=["GRDP", "ranking"],
                             note=f"Economic growth ranking of {y}."))
            if y == 2024:
                parts.append(ind(f"{slug}-exports-2024", name="Export turnover", name_vi="Kim ngạch xuất khẩu",
                                 region=region, period="2024", value=int(v * 3_000_000_000), unit="USD", basis="level",
                                 tags=["exports"]))
                parts.append(ind(f"{slug}-fdi-2024", name="Foreign investment attracted", name_vi="Thu hút vốn FDI",
                                 region=region, period="2024", value=int(v * 400_000_000), unit="USD", basis="level",
                                 tags=["FDI"]))
    parts.append(ind("bac-giang-lychee-imports-2025", name="Lychee sales", name_vi="Tiêu thụ vải thiều",
                     region="Bắc Giang", period="2025", value=1_200_000_000_000, unit="VND", basis="level",
                     sources=["a-src-lychee"]))


OTHER = '''
[[indicator]]
id = "mn-refi-2023-06-19"
name = "SBV refinancing rate"
name_vi = "Lãi suất tái cấp vốn"
region = "Vietnam"
period = "2023-06-19"
value = 4.5
unit = "%"
basis = "level"
tags = ["money", "interest rates", "policy rate"]
note = "The State Bank of Vietnam's policy interest rate, cut for the fourth time in 2023."
sources = ["a-src"]

[[indicator]]
id = "fr-vinamilk-revenue-2024"
name = "Vinamilk net revenue"
region = "Vietnam"
period = "2024"
value = 61_800_000_000_000
unit = "VND"
basis = "level"
tags = ["firms", "results"]
sources = ["a-src"]

[[indicator]]
id = "fr-vinamilk-profit-2024"
name = "Vinamilk profit after tax"
region = "Vietnam"
period = "2024"
value = 9_400_000_000_000
unit = "VND"
basis = "level"
tags = ["firms", "results"]
sources = ["a-src"]

[[indicator]]
id = "fr-fpt-profit-2024"
name = "FPT profit before tax"
region = "Vietnam"
period = "2024"
value = 7_800_000_000_000
unit = "VND"
basis = "level"
tags = ["firms", "results"]
sources = ["a-src"]

[[company]]
id = "vinamilk"
name = "Vinamilk"
type = "company"
country = "Vietnam"
sector = "dairy"
sources = ["a-src"]
description = "Vietnam's largest dairy company."

[[company]]
id = "samsung-vietnam"
name = "Samsung Electronics Vietnam"
type = "company"
country = "Vietnam"
location = "Bắc Ninh"
sector = "electronics"
sources = ["a-src"]
description = "The largest foreign investor in Vietnam, making phones in Bắc Ninh."

[[partnership]]
id = "vn-us-csp-2023"
name = "Vietnam–US Comprehensive Strategic Partnership"
parties = ["Vietnam", "United States"]
kind = "comprehensive-strategic-partnership"
date = "2023-09-10"
sources = ["a-src"]
'''


def facts_toml() -> str:
    parts = [SOURCE]
    monthly(parts)
    annual(parts)
    places(parts)
    parts.append(OTHER)
    return "\n".join(parts)
