import type { ErrorCode } from '#shared/http/error-codes.js';
import type { dietaryNeeds } from '#shared/schemas/elders.js';

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
  otherRoleHome: '您登录的账号不是家属账号，此页面供家属使用。民政工作人员请打开民政工作台（/staff），养老机构请打开机构床位（/institution），助餐点请使用助餐点的刷卡页面（/counter）。市平台对接账号没有操作页面。',
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
} as const;

