import type { ErrorCode } from '#shared/http/error-codes.js';
import type { dietaryNeeds } from '#shared/schemas/elders.js';
import { cstLongDate } from './format.js';

/**
 * Every word the pages show, in one place, written as the county's civil-affairs office would
 * write to a family: plain, polite and concrete, saying what to do next. Components never carry
 * their own Chinese strings, and no page ever shows an error code or JSON.
 */

/** One sentence per error code of the catalogue (shared/http/error-codes.ts); the type makes a missing one a compile error. */
export const errorSentences: Record<ErrorCode, string> = {
  VALIDATION_FAILED: '填写的内容有误，请按提示修改后再提交。',
  INVALID_PAGE_TOKEN: '列表已有更新，请回到第一页重新查看。',
  UNAUTHORIZED: '登录已过期，请重新登录。',
  FORBIDDEN: '您的账号无权查看或办理此事项。如有疑问，请联系老人所在乡镇的民政所。',
  NOT_FOUND: '没有找到相关信息，可能已被删除或尚未登记。',
  ELDER_EXISTS: '这位老人已经登记过了，无需重复登记。',
  CARD_IN_USE: '该助餐卡号已被其他老人使用，请核对卡号。',
  ALREADY_LINKED: '您的账号已与这位老人绑定，无需重复绑定。',
  SLOT_FULL: '该餐次已订满，请选择其他餐次或日期。',
  ALREADY_BOOKED: '这位老人当天的这一餐已经预订过了，无需重复预订。可在“我的预订”中查看。',
  ALREADY_VOIDED: '这条用餐记录已经作废。',
  ALREADY_CLOSED: '此事项已经办结。',
  ALREADY_DECEASED: '系统中已登记这位老人去世的信息。',
  BED_LABEL_EXISTS: '本机构已有同样编号的床位，请换一个编号。',
  TOO_MANY_TAGS: '本机构床位的标签已达16种上限，请使用已有的标签。',
  BED_NOT_VACANT: '该床位目前不是空床，请选择其他床位。',
  BED_OCCUPIED: '该床位有老人入住，需先办理退住或转床。',
  ELDER_ALREADY_ADMITTED: '这位老人已在本县的养老机构入住。',
  NOT_ADMITTED_HERE: '这位老人不在本机构入住。',
  APPLICATION_EXISTS: '这位老人已有一份正在轮候的床位申请，不能重复申请。',
  APPLICATION_CLOSED: '这份床位申请已撤回或已入住，不能再撤回。',
  OFFER_CLOSED: '这次配床已经办结（已入住、已放弃、已撤回或已超过保留期限），不能再办理。',
  BED_HELD: '该床位正为轮候老人保留，请先办理入住或登记放弃后再更改。',
  HOME_CARE_BED_EXISTS: '这位老人已有家庭养老床位。',
  WEBHOOK_ID_REUSED: '平台推送的消息编号重复，已忽略。',
  IDEMPOTENCY_KEY_REUSED: '这次提交与刚才的提交不一致，请刷新页面后重新填写。',
  IDEMPOTENCY_IN_PROGRESS: '刚才的提交正在办理中，请稍等几秒后在“我的预订”中查看。',
  PAYLOAD_TOO_LARGE: '提交的内容过多，请分几次提交。',
  UNSUPPORTED_MEDIA_TYPE: '提交的格式不正确，请刷新页面后重试。',
  UNKNOWN_TOWNSHIP: '所选乡镇尚未登记，请联系县民政局。',
  CUTOFF_PASSED: '已过这一餐的预订或取消截止时间，无法办理。如有特殊情况，请直接致电助餐点。',
  DELIVERY_NOT_OFFERED: '该助餐点暂不提供送餐上门，请选择堂食或自取。',
  SLOT_NOT_OFFERED: '该助餐点不供应这一餐，请选择其他餐次。',
  // Administration routes (issue 14 item 7): editing and suspending meal sites.
  SITE_SUSPENDED: '该助餐点已暂停服务，暂不接受新的预订，请选择其他助餐点。已有的预订照常供餐。',
  CAPACITY_BELOW_BOOKED: '有的日期已预订的人数超过了新的座位数，不能这样调低。请先与已预订的老人协商取消，或把座位数调到不低于已预订人数。',
  ELDER_DECEASED: '系统中登记这位老人已去世，无法办理。如信息有误，请联系乡镇民政所更正。',
  NOT_CANCELLABLE: '这笔预订已用餐、已取消或已记为未到，不能再取消。',
  DATE_IN_FUTURE: '填写的日期或时间晚于现在，请核对。',
  DATE_IN_PAST: '填写的日期早于可以办理的范围，请核对。',
  DATE_OUT_OF_ORDER: '填写的日期早于这条记录已有的日期，请核对。',
  INTERNAL: '系统暂时出了问题，请稍后再试。如多次出现，请联系县民政局。',
  SERVED_AT_IN_FUTURE: '用餐时间晚于现在，请检查设备的时间设置。',
  TOO_LATE: '这条用餐记录已超过 7 天，请联系县民政局补录。',
  ELDER_NOT_FOUND: '没有找到这位老人的登记信息，请核对后重试。',
  RECORD_ID_CONFLICT: '记录编号重复，请联系技术支持人员。',
};

/** Failures that never reach the API, or answers that are not ours. */
export const clientErrorSentences = {
  NETWORK: '网络连接不上，请检查手机网络后重试。',
  UNEXPECTED: '系统暂时出了问题，请稍后再试。如多次出现，请联系县民政局。',
  CONFIG: '页面配置读取失败，请稍后刷新重试。',
  SIGN_IN_FAILED: '登录没有成功，请重新登录。',
} as const;
export type ClientErrorCode = keyof typeof clientErrorSentences;

export const slotLabels = { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' } as const;
export const modeLabels = { dine_in: '堂食', pickup: '自取', delivery: '送餐上门' } as const;
export const statusLabels = { booked: '已预订', served: '已用餐', no_show: '未到', cancelled: '已取消' } as const;
/** A mark beside each status, so status never rests on colour alone. */
export const statusMarks = { booked: '●', served: '✓', no_show: '!', cancelled: '✕' } as const;
export const siteKindLabels = { canteen: '老年食堂', service_point: '助餐点', central_kitchen: '中央厨房' } as const;
export const genderLabels = { male: '男', female: '女' } as const;
export const dietaryLabels: Record<(typeof dietaryNeeds)[number], string> = {
  diabetic: '糖尿病餐', low_salt: '低盐', soft: '软食', minced: '碎食', halal: '清真', vegetarian: '素食',
};
/** Which field a validation problem is about, in the words of the form. */
export const fieldLabels: Record<string, string> = {
  date: '用餐日期', slot: '餐次', mode: '用餐方式', deliveryAddress: '送餐地址', elderId: '老人', siteId: '助餐点',
};
/** Validation problems the booking form can have, in plain words. */
export const fieldProblems = {
  required: '请填写此项。',
  deliveryAddress: '选择送餐上门时，请填写送餐地址。',
  dateRange: '只能预订今天到 30 天以内的餐。',
  invalid: '此项填写有误，请检查。',
  slotClosed: '这一餐已过预订截止时间，请选择其他餐次或日期。',
  slotFull: '这一餐已订满，请选择其他餐次或日期。',
  deliveryOff: '该助餐点不送餐上门，请选择堂食或自取。',
} as const;

export const t = {
  appName: '老年助餐 · 家属服务',
  bureau: '县民政局',
  skipToContent: '跳到正文',
  loading: '正在加载，请稍候……',
  signIn: '登录',
  signOut: '退出登录',
  signingIn: '正在登录，请稍候……',
  homeTitle: '老年助餐家属服务',
  homeIntro: '为家中老人预订助餐点的早餐、午餐、晚餐：可以堂食、自取，部分助餐点可以送餐上门。政府补贴后的自付金额在预订前就能看到。',
  homeSignInHint: '请先登录。登录后可以查看与您绑定的老人，并为老人订餐。',
  signInPublic: '家属、助餐点登录',
  signInStaff: '工作人员登录（需动态验证码）',
  signInStaffHint: '县民政局、乡镇民政所和养老机构的工作人员，请点“工作人员登录”，输入密码后还要输入手机验证器上的6位动态验证码。',
  notFamily: '这个页面供老人家属使用，您登录的账号不是家属账号。',
  otherRoleHome: '您登录的是平台对接账号，这类账号只通过接口交换数据，没有操作页面。',
  navElders: '我的老人',
  navBookings: '我的预订',
  mainNav: '主菜单',
  myEldersTitle: '我的老人',
  myEldersEmpty: '您的账号还没有绑定老人。请携带身份证件到老人所在乡镇的民政所办理绑定。',
  ageYears: (age: number) => `${age}岁`,
  bookMeal: '为老人订餐',
  viewBookings: '查看预订',
  elderTitle: (name: string) => `为${name}订餐`,
  chooseDate: '选择日期',
  today: '今天',
  tomorrow: '明天',
  sitesNearby: '老人所在乡镇的助餐点',
  sitesOther: '其他乡镇的助餐点',
  noSitesNearby: '老人所在乡镇暂时没有助餐点，请在下方选择其他乡镇的助餐点。',
  noSites: '暂时没有可以预订的助餐点。',
  delivery: '可送餐上门',
  noDelivery: '不送餐',
  seatsLeft: (n: number) => `剩余 ${n} 份`,
  full: '已订满',
  closed: '已截止',
  cutoffAt: (hhmm: string) => `当天 ${hhmm} 前可预订、可取消`,
  menu: '菜单',
  noMenu: '菜单尚未公布',
  bookHere: '在这里订餐',
  bookTitle: '订餐',
  site: '助餐点',
  elder: '老人',
  date: '用餐日期',
  dateHint: '可预订今天到 30 天以内的餐',
  slot: '餐次',
  mode: '用餐方式',
  deliveryAddress: '送餐地址',
  deliveryAddressHint: '请写清楼栋、门牌号',
  price: '原价',
  subsidy: '补贴',
  pay: '自付',
  priceNote: '补贴按县里现行的补贴政策计算；同一餐次只补贴一次，以实际用餐时为准。',
  confirmBooking: '确认预订',
  booking: '正在提交，请稍候……',
  booked: '预订成功',
  bookedDetail: (what: string) => `已为老人预订${what}。请按时用餐；如需取消，请在截止时间前办理。`,
  goToBookings: '查看我的预订',
  bookAnother: '继续订餐',
  bookingsTitle: '我的预订',
  upcoming: '即将用餐',
  past: '以往的预订',
  noBookings: '还没有预订。',
  cancel: '取消预订',
  cancelAsk: '确定要取消这笔预订吗？取消后座位会让给其他老人。',
  cancelYes: '确定取消',
  cancelNo: '不取消',
  cancelled: '已取消这笔预订。',
  cancelClosed: '已过取消截止时间',
  back: '返回',
  notFoundTitle: '页面不存在',
  notFoundText: '您要找的页面不存在。',
  backHome: '回到首页',
  refusedTitle: '无法查看',
  yuan: '元',
  // An elder's care-bed application (养老床位轮候), on the elder's page
  waitingTitle: '养老床位轮候',
  waitingPosition: (n: number) => `当前排第${n}位`,
  waitingClass: '类别',
  waitingApplied: '申请日期',
  waitingStatus: '状态',
  waitingHeld: (institution: string, bed: string, until: string) => `已为您家老人在${institution}保留床位（${bed}），请于${until}前到该机构办理入住。`,
  waitingHeldHint: '如不打算入住，请告知乡镇民政所，床位将让给下一位老人；逾期未入住视为放弃。',
  waitingOther: '其他',
} as const;

/** The application's status on the family's page, in words (a mark beside it, never colour alone). */
export const waitingStatusLabels = { waiting: '● 轮候中', offered: '★ 已配床，等待入住', admitted: '✓ 已入住', withdrawn: '✕ 已撤回' } as const;

const classNumerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];
/** 0 → "第一类" (a policy has at most 20 classes). */
export const classOrdinal = (rank: number): string => `第${classNumerals[rank] ?? rank + 1}类`;

/**
 * Why the elder is where they are in the queue, in one sentence a family can check against the
 * published rules: the rule (class first, then the time of application), then the elder's class
 * and the date that orders them in it. Only what the family view carries: `priorityClass` (其他 or
 * absent when no class matches), `classRank` (0 for the policy's first class) when the API gives
 * it, `appliedAt`, and `queuedAt` with `requeued` when declined offers moved them to the end of
 * their class. Dates in China Standard Time.
 */
export function waitingReason(v: { priorityClass?: string; classRank?: number; appliedAt: string; queuedAt?: string; requeued?: boolean }): string {
  const rule = '按县民政局轮候规则，优先类别的老人排在前面，同一类别按申请先后排序';
  const since = v.requeued && v.queuedAt ? `因放弃配床，自${cstLongDate(v.queuedAt)}起在本类别中重新排队` : `${cstLongDate(v.appliedAt)}申请`;
  if (!v.priorityClass || v.priorityClass === t.waitingOther) return `${rule}；老人不属于优先类别，${v.requeued && v.queuedAt ? since : `按${cstLongDate(v.appliedAt)}申请的先后排队`}。`;
  return `${rule}；老人属于${v.classRank === undefined ? '' : classOrdinal(v.classRank)}“${v.priorityClass}”，${since}。`;
}

/** The meal site's counter (助餐点收银台), tablet first. */
export const counterText = {
  appName: '老年助餐 · 助餐点',
  title: '助餐点用餐登记',
  notSite: '您登录的账号不是助餐点账号，不能使用用餐登记页面。',
  offlineNoSession: '网络未连接，且这台设备上没有助餐点的登录信息。请联网后登录一次，之后断网也能登记。',
  online: '网络已连接',
  offline: '网络未连接：登记照常进行，联网后自动上传',
  waiting: (n: number) => `待上传 ${n} 条`,
  lastUpload: (hhmm: string) => `上次上传 ${hhmm}`,
  neverUploaded: '今天尚未上传',
  uploadNow: '立即上传',
  uploading: '正在上传……',
  sessionExpired: '登录已过期。登记可以继续，记录保存在本机；请重新登录后上传。',
  signInAgain: '重新登录',
  signOut: '退出登录',
  totalsTitle: '本点今日合计',
  totalsShort: '今日',
  awaiting: '请刷卡，或输入身份证号码、从今日预订中选择老人。登记后，金额显示在这里。',
  meals: '用餐',
  mealsCount: (n: number) => `${n} 份`,
  subsidyTotal: '补贴',
  payTotal: '老人自付',
  totalsEstimated: (n: number) => `其中 ${n} 份未上传，金额为预计`,
  slot: '餐次',
  slotAuto: (label: string) => `按时间为${label}`,
  mode: '用餐方式',
  identifyTitle: '识别老人',
  cardLabel: '刷卡或输入助餐卡号',
  cardHint: '刷卡后自动登记；手工输入卡号后按回车',
  cardInvalid: '卡号应为 4 到 32 位字母、数字或短横线，请核对。',
  idLabel: '身份证号码',
  idHint: '老人未带卡时，输入 18 位身份证号码',
  idFind: '查找',
  idInvalid: '身份证号码有误（位数、出生日期或校验位不对），请核对后重新输入。',
  noBookingsToServe: '本餐次的预订都已用餐。',
  pick: '选择',
  confirmServe: '确认用餐',
  cancelPreview: '取消',
  estimated: '预计',
  estimateNote: '离线时按本机保存的补贴政策估算，上传后以系统核定为准。',
  subsidyUnknown: '待核定',
  fullPriceRepeat: '这位老人本餐次已用过餐，这一份按原价收费（同一餐次只补贴一次）。',
  recorded: '已登记',
  uploaded: '已上传，金额已核定',
  waitingUpload: '已保存在本机，等待上传',
  rejectedTitle: '未通过的记录',
  rejectedHint: '以下记录上传后未被系统接受。请核对卡号或身份证号码后重新登记，或写明原因后作废。',
  rejectedReason: '原因',
  fixLabel: '改正后的卡号或身份证号码',
  fixResend: '改正后重新登记',
  discardReasonLabel: '作废原因',
  discard: '作废此记录',
  discardReasonHint: '至少 2 个字，例如“老人未用餐，误刷卡”',
  recentTitle: '今日已登记',
  noneToday: '今天还没有登记用餐。',
  voidAction: '作废',
  voidReasonLabel: '作废原因',
  voidConfirm: '确认作废',
  voided: '已作废',
  voidOffline: '作废需要联网。',
  kitchenTitle: '今日备餐清单',
  kitchenBooked: (n: number) => `预订 ${n} 份`,
  deliveriesTitle: '送餐上门',
  noDeliveries: '今天没有送餐上门的预订。',
  toServeTitle: '尚未用餐的预订',
  /** A record's identity as the counter shows it: a masked ID number has asterisks, a card number never. */
  identity: (label: string) => (label.includes('*') ? `身份证号 ${label}` : `卡号 ${label}`),
  elderOffline: '离线登记，上传后由系统核对老人身份。',
  ageGender: (age: number, gender: string) => `${gender} · ${age}岁`,
  dietary: '饮食要求',
  kitchenUnavailable: '今日预订清单尚未下载，联网后自动获取。',
  time: '时间',
  statusLabel: '状态',
} as const;
