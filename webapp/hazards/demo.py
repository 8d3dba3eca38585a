"""Demo hazard reports: about thirty, at places the annual report names, in every state."""

from datetime import timedelta
from io import BytesIO

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from webapp.common.workflow import WorkflowEvent
from webapp.extensions import db
from webapp.hazards.models import HazardReport
from webapp.hazards.services import ReportDraft, Upload, submit_report
from webapp.hazards.staff_services import StateChange, change_report_state
from webapp.staff.models import User
from webapp.transactions import transactional

S, I, R, C, X, D = "submitted", "investigating", "rectifying", "closed", "rejected", "duplicate"  # noqa: E741  (one letter per state keeps the table readable)
# (category, location, description, final state, responsible party, latitude, longitude)
# fmt: off
DEMO_REPORTS = (
    ("guardrail", "北大街东段", "北大街东段中央护栏被车辆撞倒三节，倒向对向车道。", C, "市政设施管理处", 37.8602, 113.5791),
    ("sign", "桃北西街坡头路段", "坡头路段的急弯警告标志牌被树枝遮挡，夜间看不见。", C, "区交通运输局", 37.8705, 113.5652),
    ("signal", "李荫路冯家庄路口", "冯家庄路口左转信号灯时间太短，高峰期车辆排队到村口。", R, "市交通运输局", 37.8451, 113.5512),
    ("sight_line", "漾泉大道魏家峪村口", "村口绿化带缺失，车辆随意掉头，直行车辆躲避不及。", C, "市园林绿化中心", 37.8853, 113.6021),
    ("school_zone", "矿区小南坑小学门口", "学校门口没有人行横道和减速带，放学时学生直接横穿马路。", R, "矿区教育办", 37.8392, 113.5208),
    ("marking", "矿山路赛鱼十字路口", "十字路口停止线和导向箭头磨损看不清。", C, "市政设施管理处", 37.8521, 113.5702),
    ("crossing", "马家坪小学路段", "马家坪小学对面公交站没有人行横道，老人过马路很危险。", I, "", 37.8633, 113.5433),
    ("guardrail", "桃北岗至环形路", "中央隔离护栏多处缺损，有行人从缺口横穿。", C, "市政设施管理处", 37.8755, 113.5861),
    ("construction", "辛后线坡头至新店路段", "企业施工占用半幅道路，夜间没有警示灯。", R, "华阳集团新能股份有限公司煤层气开发利用分公司", 37.8905, 113.5355),
    ("parking_hotspot", "赛鱼四巷口", "巷口两侧长期停满车辆，晋C·12345 等车辆堵住消防通道。", I, "", 37.8533, 113.5725),
    ("road_surface", "307复线口", "复线口路面有一个大坑，下雨后积水看不见。", R, "公路段", 37.8212, 113.6203),
    ("lighting", "北大街西段", "北大街西段连续五盏路灯不亮，晚上很黑。", S, "", 37.8598, 113.5702),
    ("signal", "北大街与南大街交叉口", "信号灯黄灯一直闪烁，路口车辆抢行。", I, "", 37.8573, 113.5788),
    ("sign", "漾泉大道收费站前", "限速标志被撞歪，朝向路边。", S, "", 37.8811, 113.6102),
    ("marking", "桃北西街学校路段", "网状线和禁停标线模糊。", S, "", 37.8698, 113.5641),
    ("road_surface", "李荫路中段", "井盖下沉约五厘米，电动车经过容易摔倒。", C, "市政设施管理处", 37.8477, 113.5566),
    ("parking_hotspot", "矿区菜市场门口", "赶集日菜市场门口农用车乱停，占用车道。", S, "", 37.8371, 113.5188),
    ("other", "环形路东口", "路边堆放建筑垃圾，占用非机动车道。", X, "", 37.8762, 113.5912),
    ("guardrail", "北大街东段邮局门前", "邮局门前护栏撞坏，和前面那处应该是同一处。", D, "", 37.8603, 113.5792),
    ("crossing", "赛鱼十字路口北侧", "人行横道信号灯按钮坏了。", C, "市政设施管理处", 37.8531, 113.5701),
    ("school_zone", "马家坪小学门口", "上学时段接送车辆停在校门口，孩子从车缝里穿出。", I, "", 37.8641, 113.5428),
    ("lighting", "辛后线新店村口", "村口没有路灯，夜间行人看不见。", S, "", 37.8931, 113.5299),
    ("sight_line", "桃北岗弯道", "弯道内侧树木遮挡视线，对向来车看不见。", R, "市园林绿化中心", 37.8741, 113.5832),
    ("construction", "漾泉大道管网施工段", "施工围挡倒塌，占用机动车道。", C, "市住房和城乡建设局", 37.8822, 113.5988),
    ("signal", "矿山路与环形路交叉口", "东向直行信号灯不亮。", S, "", 37.8551, 113.5877),
    ("marking", "307复线下穿通道", "通道内车道线全部磨没了。", I, "", 37.8222, 113.6187),
    ("other", "北大街公交站", "公交站台牌倒在非机动车道上。", X, "", 37.8591, 113.5741),
    ("road_surface", "桃北西街坡头路段", "坡头下坡路面有油污，很滑。", S, "", 37.8707, 113.5655),
    ("sign", "李荫路冯家庄村路段", "冯家庄村路段缺少注意行人标志。", R, "市交通运输局", 37.8455, 113.5519),
    ("parking_hotspot", "北大街医院门口", "医院门口违停严重，救护车进出困难。", S, "", 37.8611, 113.5822),
)
# fmt: on

PATHS = {
    S: (),
    I: (I,),
    R: (I, R),
    C: (I, R, C),
    X: (X,),
    D: (D,),
}
MESSAGES = {
    I: "已受理，民警将在三个工作日内到现场核查。",
    R: "经现场核查，隐患属实，已向{party}送达整改函。",
    C: "隐患已整改完毕，经民警现场复核，予以销号。感谢您的反映。",
    X: "该问题不属于交通安全隐患，请拨打12345市民热线反映。",
    D: "该隐患已有群众反映，请关注原报告。",
}
COLOURS = ("#8a9bb0", "#b0a48a", "#9bb08a", "#a08ab0")


def demo_photo(number: int, label: str) -> bytes:
    """A simple drawn scene: a grey road, a kerb and an orange warning mark."""
    image = Image.new("RGB", (800, 600), COLOURS[number % len(COLOURS)])
    draw = ImageDraw.Draw(image)
    draw.polygon([(250, 600), (550, 600), (430, 250), (370, 250)], fill="#555555")
    draw.line([(400, 600), (400, 260)], fill="white", width=6)
    draw.ellipse((560, 380, 700, 520), fill="orange", outline="black", width=4)
    draw.text((20, 20), label, fill="black")
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


@transactional
def load_demo_hazards() -> str | None:
    """Every demo report with its history in one transaction, or none (a second run adds nothing)."""
    if db.session.scalar(select(func.count(HazardReport.id))):
        return None
    officer = db.session.scalar(select(User).where(User.username == "hazards"))
    first_guardrail = None
    for number, row in enumerate(DEMO_REPORTS):
        report = _make_report(number, row)
        if row[0] == "guardrail" and first_guardrail is None:
            first_guardrail = report
        _walk(report, row, officer=officer, original=first_guardrail)
        _backdate(report, days=len(DEMO_REPORTS) - number)
    return f"added {len(DEMO_REPORTS)} hazard reports"


def _make_report(number: int, row) -> HazardReport:
    category, location, description, _state, _party, latitude, longitude = row
    uploads = [] if number % 3 == 2 else [Upload(BytesIO(demo_photo(number, category)), "demo.jpg")]
    draft = ReportDraft(
        category=category,
        location=location,
        description=description,
        latitude=latitude,
        longitude=longitude,
        reporter_name="" if number % 2 else "王女士",
        reporter_phone="" if number % 4 == 3 else f"1390353{number:04d}",
    )
    return submit_report(draft, uploads=uploads)


def _walk(report: HazardReport, row, *, officer, original) -> None:
    state, party = row[3], row[4]
    for step in PATHS[state]:
        change = StateChange(
            to_state=step,
            public_message=MESSAGES[step].format(party=party),
            responsible_party=party,
            duplicate_of=original.reference if step == D else "",
            finding=row[2] if step == R else "",
        )
        change_report_state(report, change, actor=officer)


def _backdate(report: HazardReport, *, days: int) -> None:
    """Move the report into the past, its steps a day or two apart."""
    report.created_at -= timedelta(days=days)
    events = db.session.scalars(WorkflowEvent.history_of(report.SUBJECT_TYPE, report.id)).all()
    for step, event in enumerate(events):
        event.created_at = report.created_at + timedelta(days=min(step * 2, days), hours=step)
    report.state_changed_at = events[-1].created_at
    if report.closed_at:
        report.closed_at = report.state_changed_at
