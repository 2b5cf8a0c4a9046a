"""The goods behind the HS codes of the trade file (METVNM.xml): plain English and the statistics office's Vietnamese.

The trade file names its product series by HS heading or chapter inside the indicator code
(``TXG_H5_0901_FOB_USD`` exports of coffee, ``TMG_H5_8517_CIF_USD`` imports of telephones), and the
indicator description file does not cover those codes.  The names below are the statistics office's
own product list (the one its monthly trade release uses, and the description file gives for the older
codes such as ``TXGCOF_FOB_USD``, "Exports: Coffee" / "Cà phê"), matched to the HS codes in the order
both lists share.  A code of several parts (``63_61``, ``84T86``, ``07_070960``) is kept as printed in
``hs_code``; where an HS code reads more narrowly than the group it stands for (``7202`` for iron and
steel products, ``2711`` for petroleum products) the group of the office's list is the name.
"""

from __future__ import annotations

# HS code as in the indicator -> (English, Vietnamese), for exports (X) and imports (M) where they differ.
BOTH = {
    "03": ("seafood", "Hàng thủy sản"),
    "07_070960": ("fruit and vegetables", "Hàng rau quả"),
    "0801": ("cashew nuts", "Hạt điều"),
    "19": ("bakery and cereal products", "Bánh kẹo và các sản phẩm từ ngũ cốc"),
    "23": ("animal feed and materials", "Thức ăn gia súc và nguyên liệu"),
    "26_2709": ("ores and other minerals", "Quặng và khoáng sản khác"),
    "2701": ("coal", "Than đá"),
    "2709": ("crude oil", "Dầu thô"),
    "2711": ("petroleum products", "Xăng dầu các loại"),
    "3801": ("chemicals", "Hóa chất"),
    "38": ("chemical products", "Sản phẩm hóa chất"),
    "31": ("fertilisers", "Phân bón các loại"),
    "39": ("plastics", "Chất dẻo nguyên liệu"),
    "392690": ("plastic products", "Sản phẩm từ chất dẻo"),
    "40": ("rubber products", "Sản phẩm từ cao su"),
    "4001": ("rubber", "Cao su"),
    "44": ("wood and wood products", "Gỗ và sản phẩm gỗ"),
    "48": ("paper and paper products", "Giấy và các sản phẩm từ giấy"),
    "5205": ("yarn", "Xơ, sợi dệt các loại"),
    "63_41_64": ("textile, leather and footwear materials", "Nguyên phụ liệu dệt, may, da, giày"),
    "70": ("glass and glass products", "Thủy tinh và các sản phẩm từ thủy tinh"),
    "71": ("precious stones and metals", "Đá quý, kim loại quý và sản phẩm"),
    "73": ("iron and steel", "Sắt thép các loại"),
    "XV": ("other base metals and products", "Kim loại thường khác và sản phẩm"),
    "85": ("computers, electronics and parts", "Máy vi tính, sản phẩm điện tử và linh kiện"),
    "8517": ("phones and parts", "Điện thoại các loại và linh kiện"),
    "8525": ("cameras and camcorders", "Máy ảnh, máy quay phim và linh kiện"),
    "84T86": ("machinery and equipment", "Máy móc, thiết bị, dụng cụ, phụ tùng khác"),
    "8544": ("wires and cables", "Dây điện và dây cáp điện"),
    "8702": ("other transport vehicles and parts", "Phương tiện vận tải khác và phụ tùng"),
    "XX": ("other goods", "Hàng hóa khác"),
}

EXPORTS = {
    "0901": ("coffee", "Cà phê"),
    "0902": ("tea", "Chè"),
    "0904": ("pepper", "Hạt tiêu"),
    "1006": ("rice", "Gạo"),
    "0714": ("cassava and cassava products", "Sắn và các sản phẩm từ sắn"),
    "2523": ("clinker and cement", "Clanhke và xi măng"),
    "42": ("bags, wallets, suitcases, hats and umbrellas", "Túi xách, ví, va li, mũ, ô dù"),
    "1401": ("rattan, bamboo and carpet products", "Sản phẩm mây, tre, cói và thảm"),
    "63_61": ("textiles and garments", "Hàng dệt, may"),
    "5902": ("tyre cord and technical fabrics", "Vải mành, vải kỹ thuật khác"),
    "64": ("footwear", "Giày dép các loại"),
    "69": ("ceramic products", "Sản phẩm gốm, sứ"),
    "7202": ("iron and steel products", "Sản phẩm từ sắt thép"),
    "94": ("furniture not of wood", "Sản phẩm nội thất từ chất liệu khác gỗ"),
    "95": ("toys and sports goods", "Đồ chơi, dụng cụ thể thao và bộ phận"),
}

IMPORTS = {
    "04": ("dairy products", "Sữa và sản phẩm sữa"),
    "1001": ("wheat", "Lúa mì"),
    "1005": ("maize", "Ngô"),
    "1201": ("soybeans", "Đậu tương"),
    "15": ("animal and vegetable fats and oils", "Dầu mỡ động thực vật"),
    "21": ("other food preparations", "Chế phẩm thực phẩm khác"),
    "24": ("tobacco materials", "Nguyên phụ liệu thuốc lá"),
    "271113": ("liquefied petroleum gas", "Khí đốt hóa lỏng"),
    "2712": ("other petroleum products", "Sản phẩm khác từ dầu mỏ"),
    "3006": ("pharmaceutical materials", "Nguyên phụ liệu dược phẩm"),
    "30": ("pharmaceuticals", "Dược phẩm"),
    "33": ("cosmetics and toiletries", "Chất thơm, mỹ phẩm và chế phẩm vệ sinh"),
    "3808": ("pesticides and materials", "Thuốc trừ sâu và nguyên liệu"),
    "52": ("cotton", "Bông các loại"),
    "7204": ("iron and steel scrap", "Phế liệu sắt thép"),
    "7326": ("iron and steel products", "Sản phẩm từ sắt thép"),
    "87": ("cars", "Ô tô nguyên chiếc các loại"),
    "871410": ("motorcycles and parts", "Xe máy và linh kiện, phụ tùng"),
}

# Product series of the trade file named by the office's own code, not an HS code.
NAMED = {
    "TMGIOT_CIF_USD": ("fabrics", "Vải các loại"),
    "TMGISO_CIF_USD": ("other base metal products", "Sản phẩm từ kim loại thường khác"),
    "VNM_TMGEPP_CIF_USD": ("household electrical appliances and parts", "Hàng điện gia dụng và linh kiện"),
    "VNM_TMGPAP_CIF_USD": ("paper products", "Sản phẩm từ giấy"),
}


def product_of(hs: str, exports: bool) -> tuple[str, str] | None:
    """(English, Vietnamese) for an HS code of the trade file, or None for a code not in the office's list."""
    return (EXPORTS if exports else IMPORTS).get(hs) or BOTH.get(hs)
