"""The legal texts the findings cite, as data: where each is, its wording, how far it was verified.

Each text is a `LegalBasis`: the document and article in Chinese and English, the key
Chinese wording verbatim from the copies consulted, an English gloss written for the
project, and its verification status (``Verified (n)``: verbatim in n independent copies;
``Found once``). None of the copies was an official portal (flk.npc.gov.cn, gov.cn): check
the official text before relying on a quotation. The rules that read these texts are in
`bizmodels.compliance.rules`, one module per document.

Examples
--------
>>> [b.cite() for b in LEGAL_TEXTS if not b.verified]
['2013 Opinion Section 7 [Found once]']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CRIMINAL_224_1",
    "DISCLAIMER",
    "DISCLAIMER_ZH",
    "DS_14",
    "DS_24",
    "LEGAL_TEXTS",
    "OPINION_1",
    "OPINION_5",
    "OPINION_7",
    "REG_7_1",
    "REG_7_2",
    "REG_7_3",
    "WECHAT_2016",
    "LegalBasis",
]

DISCLAIMER = (
    "Analytical aid, not legal advice: a flag says a feature matches the wording of a rule "
    "or a simulated network crosses a number a rule names, not that a business is illegal. "
    "Quotations come from unofficial copies; check the official text."
)
"""What every assessment says of itself, in English."""
DISCLAIMER_ZH = (
    "本结果仅为分析辅助，不构成法律意见：标记表示某一特征与规定的文字相符，或模拟网络达到规定中的数字，"
    "并不表示业务违法。引文来自非官方文本，使用前请核对官方发布版本。"
)
"""The disclaimer, in Chinese."""

_REG = "《禁止传销条例》(国务院令第444号)"
_REG_EN = "Regulations on the Prohibition of Pyramid Selling (State Council Order No. 444)"
_DS = "《直销管理条例》(国务院令第443号，2017年修订)"
_DS_EN = "Regulations on the Administration of Direct Selling (Order No. 443, rev. 2017)"
_OPINION = "《关于办理组织领导传销活动刑事案件适用法律若干问题的意见》(公通字〔2013〕37号)"
_OPINION_EN = (
    "Opinions of the SPC, SPP and Ministry of Public Security on Criminal Cases of "
    "Organising and Leading Pyramid Selling (2013)"
)


@dataclass(frozen=True)
class LegalBasis:
    """One legal text a finding cites: where it is, its key wording, how far it was verified.

    Attributes
    ----------
    document, document_en : str
        The document, in Chinese and in English.
    article, article_en : str
        The article or section (``第七条第（二）项``, ``Art. 7(2)``).
    wording : str
        The key Chinese wording, verbatim from the copies consulted; ``……`` marks a cut.
    gloss : str
        An English gloss written for the project, not an official translation.
    status : str
        How it was verified (``Verified (4)``: verbatim in four independent copies;
        ``Found once``: in one), as the project's law notes record it.
    nature : str
        What kind of text it is (administrative regulation, criminal law, judicial
        opinion, platform rule).
    """

    document: str
    document_en: str
    article: str
    article_en: str
    wording: str
    gloss: str
    status: str
    nature: str

    def status_text(self, lang: str = "en") -> str:
        """The verification status in ``lang``: ``Verified (4)`` or ``已核实（4处）``."""
        if lang != "zh":
            return self.status
        if self.verified:
            count = self.status.removeprefix("Verified (").rstrip(")")
            return f"已核实（{count}处）"
        return "仅见一处" if self.status == "Found once" else self.status

    def nature_text(self, lang: str = "en") -> str:
        """What kind of text it is, in ``lang``: ``judicial opinion`` or ``司法解释性文件``."""
        return _NATURE_ZH[self.nature] if lang == "zh" else self.nature

    @property
    def verified(self) -> bool:
        """Whether the text was found verbatim in at least two independent copies."""
        return self.status.startswith("Verified")

    def cite(self, lang: str = "en") -> str:
        """A short citation with the verification status.

        Examples
        --------
        >>> REG_7_2.cite()
        'Reg. Prohibition of Pyramid Selling Art. 7(2) [Verified (4)]'
        """
        if lang == "zh":
            short = self.document.split("(")[0]
            return f"{short}{self.article}［{self.status_text('zh')}］"
        short = _SHORT_EN.get(self.document_en, self.document_en)
        return f"{short} {self.article_en} [{self.status}]"


_SHORT_EN = {
    _REG_EN: "Reg. Prohibition of Pyramid Selling",
    _DS_EN: "Reg. Direct Selling",
    _OPINION_EN: "2013 Opinion",
    "Criminal Law of the PRC": "Criminal Law",
}
_NATURE_ZH = {
    "administrative regulation": "行政法规",
    "criminal law": "刑法",
    "judicial opinion": "司法解释性文件",
    "platform rule": "平台规则",
}

REG_7_1 = LegalBasis(
    _REG,
    _REG_EN,
    "第七条第（一）项",
    "Art. 7(1)",
    "组织者或者经营者通过发展人员，要求被发展人员发展其他人员加入，"
    "对发展的人员以其直接或者间接滚动发展的人员数量为依据计算和给付报酬",
    "Head-count (拉人头): recruits must recruit others and are paid by the number of people "
    "recruited, directly or indirectly, in a rolling chain (pay includes material rewards "
    "and other economic benefits).",
    "Verified (4)",
    "administrative regulation",
)
REG_7_2 = LegalBasis(
    _REG,
    _REG_EN,
    "第七条第（二）项",
    "Art. 7(2)",
    "要求被发展人员交纳费用或者以认购商品等方式变相交纳费用，取得加入或者发展其他人员加入的资格",
    "Entry fee (入门费): recruits must pay a fee, or a disguised fee such as buying goods, "
    "to qualify to join or to recruit.",
    "Verified (4)",
    "administrative regulation",
)
REG_7_3 = LegalBasis(
    _REG,
    _REG_EN,
    "第七条第（三）项",
    "Art. 7(3)",
    "要求被发展人员发展其他人员加入，形成上下线关系，并以下线的销售业绩为依据计算和给付上线报酬",
    "Team remuneration (团队计酬): recruits must recruit others, forming upline-downline "
    "relationships, and the upline is paid on the downline's sales performance.",
    "Verified (4)",
    "administrative regulation",
)
DS_14 = LegalBasis(
    _DS,
    _DS_EN,
    "第十四条",
    "Art. 14",
    "不得以缴纳费用或者购买商品作为成为直销员的条件",
    "A direct-selling enterprise may not make paying a fee or buying goods a condition of "
    "becoming a direct seller.",
    "Verified (2)",
    "administrative regulation",
)
DS_24 = LegalBasis(
    _DS,
    _DS_EN,
    "第二十四条",
    "Art. 24",
    "直销企业支付给直销员的报酬只能按照直销员本人直接向消费者销售产品的收入计算，"
    "报酬总额（包括佣金、奖金、各种形式的奖励以及其他经济利益等）"
    "不得超过直销员本人直接向消费者销售产品收入的30%",
    "A direct seller's pay may be calculated only on the income from products the seller "
    "personally sells directly to consumers; total pay, of every kind, may not exceed 30% of "
    "that income.",
    "Verified (3)",
    "administrative regulation",
)
CRIMINAL_224_1 = LegalBasis(
    "《中华人民共和国刑法》",
    "Criminal Law of the PRC",
    "第二百二十四条之一",
    "Art. 224-1",
    "要求参加者以缴纳费用或者购买商品、服务等方式获得加入资格，并按照一定顺序组成层级，"
    "直接或者间接以发展人员的数量作为计酬或者返利依据",
    "The offence of organising or leading pyramid selling: participants gain membership by "
    "paying fees or buying goods or services, are arranged in tiers in a set order, and pay "
    "or rebates are based on the number of people recruited (it also requires luring "
    "participants to keep recruiting and defrauding property).",
    "Verified (5)",
    "criminal law",
)
OPINION_1 = LegalBasis(
    _OPINION,
    _OPINION_EN,
    "一、关于传销组织层级及人数的认定问题",
    "Section 1",
    "其组织内部参与传销活动人员在三十人以上且层级在三级以上的，应当对组织者、领导者追究刑事责任"
    "……组织、领导多个传销组织，单个或者多个组织中的层级已达三级以上的，"
    "可将在各个组织中发展的人数合并计算",
    "An organisation with 30 or more participants and 3 or more levels: its organisers and "
    "leaders are criminally liable. For someone leading several organisations, headcounts "
    "may be added together once one or more of them reach 3 levels.",
    "Verified (4)",
    "judicial opinion",
)
OPINION_7 = LegalBasis(
    _OPINION,
    _OPINION_EN,
    "七、其他问题",
    "Section 7",
    '本意见所称"以上"、"以内"，包括本数。……'
    "对传销组织内部人数和层级数的计算，以及对组织者、领导者直接或者间接发展参与传销活动人员"
    "人数和层级数的计算，包括组织者、领导者本人及其本层级在内",
    '"Or more" includes the stated number; headcount and levels are counted including the '
    "organiser or leader and the organiser's own level, so organiser → A → B is three "
    "levels.",
    "Found once",
    "judicial opinion",
)
OPINION_5 = LegalBasis(
    _OPINION,
    _OPINION_EN,
    "五、关于“团队计酬”行为的处理问题",
    "Section 5",
    '以销售商品为目的、以销售业绩为计酬依据的单纯的"团队计酬"式传销活动，不作为犯罪处理',
    "Pure team remuneration, aimed at selling goods and paid on sales performance, is not "
    "prosecuted as a crime (it remains an administrative violation under the Regulations).",
    "Verified (2)",
    "judicial opinion",
)
WECHAT_2016 = LegalBasis(
    "微信公众平台公告（2016-09-12，整顿多级分销欺诈）",
    "WeChat Official Accounts Platform announcement of 2016-09-12 (multi-level distribution)",
    "所列违规行为第1项",
    "listed violation 1",
    "通过发展人员形成上下线关系，依据下线人数、销售业绩等为依据计算和给付上线报酬",
    "Forming upline-downline relationships and paying uplines by downline headcount or "
    "sales (a platform rule, not law; it names no number of levels).",
    "Verified (2)",
    "platform rule",
)

LEGAL_TEXTS: tuple[LegalBasis, ...] = (
    REG_7_1,
    REG_7_2,
    REG_7_3,
    DS_14,
    DS_24,
    CRIMINAL_224_1,
    OPINION_1,
    OPINION_7,
    OPINION_5,
    WECHAT_2016,
)
"""Every text the findings cite, in the order the docs list them."""
