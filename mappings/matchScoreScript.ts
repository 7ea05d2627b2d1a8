// The match score (query/match/matchScore.ts) as a painless script over the
// `jobs` index's doc values, for a `script_score` query (or `script_fields`).
// The source is a constant: every worker-dependent value travels in `params`,
// built by matchScoreParams (query/match/matchScoreQuery.ts); nothing from a
// request is ever spliced into it. The arithmetic mirrors the reference step
// by step (same operand order), so the two agree to the last bit or the last
// ulp of sin/cos/asin/sqrt.
//
// Doc values read (see jobsIndex.ts): skills (keyword, lowercase normalizer:
// distinct, lowercased), location (geo_point: .lat/.lon are the quantised
// coordinates), hourlyMax (double), startDate/endDate (date yyyy-MM-dd),
// experienceYears (double), remote (boolean).

export const MATCH_SCORE_SCRIPT = `
double DAY = 86400000.0;
double RAD = Math.PI / 180.0;
double R = 6371008.7714;

def ws = params.workerSkills;
double nJob = doc['skills'].size();
double matched = 0;
for (def s : doc['skills']) { if (ws.contains(s)) { matched += 1; } }
double fSkills = nJob == 0 ? 1.0 : matched / nJob;

double fDistance;
if (doc['remote'].size() != 0 && doc['remote'].value) {
  fDistance = 1.0;
} else if (!params.hasLocation || doc['location'].size() == 0) {
  fDistance = 0.5;
} else {
  double lat1 = params.lat;
  double lon1 = params.lon;
  double lat2 = doc['location'].lat;
  double lon2 = doc['location'].lon;
  double sinLat = Math.sin((lat2 - lat1) * RAD * 0.5);
  double sinLon = Math.sin((lon2 - lon1) * RAD * 0.5);
  double h = sinLat * sinLat + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * sinLon * sinLon;
  double km = 2 * R * Math.asin(Math.min(1.0, Math.sqrt(h))) / 1000;
  double maxKm = params.maxTravelKm;
  fDistance = Math.max(0.0, 1 - km / maxKm);
}

double fPay = 1.0;
double desired = params.desiredPay;
if (desired > 0) {
  double ratio = doc['hourlyMax'].value / desired;
  fPay = Math.max(0.0, Math.min(1.0, ratio));
}

double fAvail;
boolean hasStart = doc['startDate'].size() != 0;
boolean hasEnd = doc['endDate'].size() != 0;
if (!hasStart && !hasEnd) {
  fAvail = 1.0;
} else if (params.windows.size() == 0) {
  fAvail = 0.5;
} else {
  double nowDay = params.nowDay;
  double end0 = hasEnd ? (double) (doc['endDate'].value.toInstant().toEpochMilli() / 86400000L) : 0;
  double s = hasStart ? (double) (doc['startDate'].value.toInstant().toEpochMilli() / 86400000L) : (hasEnd ? Math.min(nowDay, end0) : nowDay);
  double e = hasEnd ? Math.max(s, end0) : s + (params.horizonDays - 1);
  double covered = 0;
  def win = params.windows;
  for (int i = 0; i + 1 < win.size(); i += 2) {
    double a = win[i];
    double b = win[i + 1];
    covered += Math.max(0.0, Math.min(e, b) - Math.max(s, a) + 1);
  }
  fAvail = covered / (e - s + 1);
}

double fExp = 1.0;
double req = doc['experienceYears'].size() == 0 ? 0 : doc['experienceYears'].value;
if (req > 0) {
  double wexp = params.experienceYears;
  fExp = Math.min(1.0, wexp / req);
}

double wSkills = params.wSkills;
double wDistance = params.wDistance;
double wPay = params.wPay;
double wAvail = params.wAvailability;
double wExp = params.wExperience;
double sum = wSkills * fSkills + wDistance * fDistance + wPay * fPay + wAvail * fAvail + wExp * fExp;
return Math.max(0.0, Math.min(100.0, 100 * sum));
`.trim();
