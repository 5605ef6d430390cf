# NOT YET RUN: R was not available where this script was written (issue 16), so no file it
# writes is committed and no test reads one. The calibration-linearisation SEs are tested in
# tests/reports/test_calibration_variance.py against the GREG linearisation written out by
# hand. Run this script (from this folder: Rscript make_calibration_reference.R) to get R's
# values and commit calibration_reference_values.csv with them; the test can then compare
# with R directly (it should agree to ~1e-12, and certainly within 1e-6 relative).
#
# Same sample and margins as make_reference.R, but the raked designs are made with
# calibrate(..., calfun = "raking"), whose SEs use the calibration linearisation (residuals of
# the base-weighted regression on the margins' dummies, times the g-weights) that Stadspanel
# uses by default, instead of rake()'s backfitting approximation.
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
designs <- list(
  rake2 = calibrated(base, c("age_band", "sex")),
  rake3 = calibrated(base, c("age_band", "sex", "district")),
  strat_rake2 = calibrated(stratified, c("age_band", "sex"))
)

rows <- list()
add <- function(design, statistic, group, category, value) {
  rows[[length(rows) + 1]] <<- data.frame(design = design, statistic = statistic, group = group,
                                          category = category, value = sprintf("%.17g", value))
}
strip <- function(names) sub("^factor\\(answer\\)", "", names)
for (name in names(designs)) {
  d <- designs[[name]]
  add(name, "weight", as.character(sample$id), "", weights(d))
  m <- svymean(~factor(answer), d, na.rm = TRUE)
  add(name, "proportion_se", "Totaal", strip(names(coef(m))), SE(m))
  s <- svymean(~score, d, na.rm = TRUE)
  add(name, "mean_se", "Totaal", "score", SE(s))
  b <- svyby(~factor(answer), ~sex, d, svymean, na.rm = TRUE)
  for (level in rownames(b)) {
    estimates <- coef(b)[startsWith(names(coef(b)), paste0(level, ":"))]
    add(name, "proportion_se", level, sub("^[^:]*:factor\\(answer\\)", "", names(estimates)),
        SE(b)[level, ])
  }
  bs <- svyby(~score, ~sex, d, svymean, na.rm = TRUE)
  add(name, "mean_se", rownames(bs), "score", SE(bs))
  t <- svytotal(~score, d, na.rm = TRUE)
  add(name, "total", "Totaal", "score", c(coef(t), SE(t)))
  p0 <- svyciprop(~I(answer == "eens"), subset(d, sex == "V"), method = "beta")
  add(name, "ciprop_beta", "V", c("estimate", "low", "high"), c(coef(p0), attr(p0, "ci")))
}
write.csv(do.call(rbind, rows), "calibration_reference_values.csv", row.names = FALSE,
          quote = TRUE)
