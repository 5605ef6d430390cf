# Reference values from R's survey package (Lumley) for the edge cases of issue 16, read by
# tests/reports/test_r_edges.py. Run from this folder:  Rscript make_edge_reference.R
# (needs the R packages survey and MASS). Reads the same survey_sample.csv and
# population_margins.csv as make_reference.R and writes edge_reference_values.csv (long format,
# 17 significant digits):
#
# * the raked designs again, made with calibrate(..., calfun = "raking") ("cal_rake2",
#   "cal_rake3", "cal_strat_rake2"), whose SEs use the calibration linearisation (residuals of
#   the base-weighted regression on the margins' dummies, times the g-weights) that Stadspanel
#   uses by default, instead of rake()'s backfitting approximation;
# * for every design: svyciprop(method = "beta") (Korn-Graubard) overall and for women, on the
#   respondents who answered; svytotal of the score with its SE; confint(..., df = degf(d)) of
#   the mean score (the t interval).
suppressPackageStartupMessages(library(survey))

sample <- read.csv("survey_sample.csv", stringsAsFactors = FALSE, na.strings = "")
margins <- read.csv("population_margins.csv", stringsAsFactors = FALSE)
for (v in c("age_band", "sex", "district")) sample[[v]] <- factor(sample[[v]])

population_totals <- function(variables) {
  # Totals in the order of model.matrix(~ a + b + ...): intercept, then every category of
  # each margin but the first (treatment contrasts).
  grand <- sum(margins$total[margins$variable == variables[1]])
  totals <- c("(Intercept)" = grand)
  for (v in variables) {
    rows <- margins[margins$variable == v, ]
    levels <- levels(sample[[v]])[-1]
    totals <- c(totals, setNames(rows$total[match(levels, rows$category)], paste0(v, levels)))
  }
  totals
}
calibrated <- function(design, variables) {
  formula <- as.formula(paste("~", paste(variables, collapse = " + ")))
  calibrate(design, formula, population_totals(variables), calfun = "raking",
            maxit = 500, epsilon = 1e-13)
}
base <- svydesign(ids = ~1, weights = ~base_weight, data = sample)
stratified <- svydesign(ids = ~1, strata = ~district, fpc = ~district_population,
                        weights = ~base_weight, data = sample)
cells <- read.csv("population_cells.csv", stringsAsFactors = FALSE)
margin_table <- function(variable) {
  rows <- margins[margins$variable == variable, ]
  out <- data.frame(category = rows$category, Freq = rows$total)
  names(out)[1] <- variable
  out
}
tight <- list(maxit = 500, epsilon = 1e-13)
designs <- list(
  none = base,
  rake2 = rake(base, list(~age_band, ~sex), list(margin_table("age_band"), margin_table("sex")),
               control = tight),
  rake3 = rake(base, list(~age_band, ~sex, ~district),
               list(margin_table("age_band"), margin_table("sex"), margin_table("district")),
               control = tight),
  post = postStratify(base, ~age_band + sex, data.frame(age_band = cells$age_band,
                                                        sex = cells$sex, Freq = cells$total)),
  strat_rake2 = rake(stratified, list(~age_band, ~sex),
                     list(margin_table("age_band"), margin_table("sex")), control = tight),
  cal_rake2 = calibrated(base, c("age_band", "sex")),
  cal_rake3 = calibrated(base, c("age_band", "sex", "district")),
  cal_strat_rake2 = calibrated(stratified, c("age_band", "sex"))
)

rows <- list()
add <- function(design, statistic, group, category, value) {
  rows[[length(rows) + 1]] <<- data.frame(design = design, statistic = statistic, group = group,
                                          category = category, value = sprintf("%.17g", value))
}
strip <- function(names) sub("^factor\\(answer\\)", "", names)
for (name in names(designs)) {
  d <- designs[[name]]
  if (startsWith(name, "cal_")) {
    add(name, "weight", as.character(sample$id), "", weights(d))
    m <- svymean(~factor(answer), d, na.rm = TRUE)
    add(name, "proportion_se", "Totaal", strip(names(coef(m))), SE(m))
    b <- svyby(~factor(answer), ~sex, d, svymean, na.rm = TRUE)
    for (level in rownames(b)) {
      estimates <- coef(b)[startsWith(names(coef(b)), paste0(level, ":"))]
      add(name, "proportion_se", level,
          sub("^[^:]*:factor\\(answer\\)", "", names(estimates)), SE(b)[level, ])
    }
    s <- svymean(~score, d, na.rm = TRUE)
    add(name, "mean_se", "Totaal", "score", SE(s))
    bs <- svyby(~score, ~sex, d, svymean, na.rm = TRUE)
    add(name, "mean_se", rownames(bs), "score", SE(bs))
  }
  answered <- subset(d, !is.na(answer))
  for (category in c("oneens", "neutraal", "eens")) {
    p <- svyciprop(as.formula(sprintf("~I(answer == '%s')", category)), answered,
                   method = "beta", na.rm = TRUE)
    add(name, "ciprop_beta", "Totaal", paste0(category, c(":low", ":high")), attr(p, "ci"))
  }
  women <- subset(d, sex == "V" & !is.na(answer))
  p <- svyciprop(~I(answer == "eens"), women, method = "beta", na.rm = TRUE)
  add(name, "ciprop_beta", "V", c("eens:low", "eens:high"), attr(p, "ci"))
  t <- svytotal(~score, d, na.rm = TRUE)
  add(name, "total", "Totaal", c("score", "score_se"), c(coef(t), SE(t)))
  bt <- svyby(~score, ~sex, d, svytotal, na.rm = TRUE)
  add(name, "total", rownames(bt), "score", coef(bt))
  add(name, "total", rownames(bt), "score_se", SE(bt))
  add(name, "mean_ci_t", "Totaal", c("low", "high"),
      confint(svymean(~score, d, na.rm = TRUE), df = degf(d)))
}
write.csv(do.call(rbind, rows), "edge_reference_values.csv", row.names = FALSE, quote = TRUE)
