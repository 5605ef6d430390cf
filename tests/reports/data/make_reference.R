# Reference values from R's survey package (Lumley) for tests/reports/test_estimates.py and
# tests/reports/test_weighting.py. Run from this folder:  Rscript make_reference.R
# Reads survey_sample.csv, population_cells.csv and population_margins.csv (written by
# make_sample.py) and writes reference_values.csv (long format, 17 significant digits).
suppressPackageStartupMessages(library(survey))

sample <- read.csv("survey_sample.csv", stringsAsFactors = FALSE, na.strings = "")
cells <- read.csv("population_cells.csv", stringsAsFactors = FALSE)
margins <- read.csv("population_margins.csv", stringsAsFactors = FALSE)

margin_table <- function(variable) {
  rows <- margins[margins$variable == variable, ]
  out <- data.frame(category = rows$category, Freq = rows$total)
  names(out)[1] <- variable
  out
}
tight <- list(maxit = 500, epsilon = 1e-13)
base <- svydesign(ids = ~1, weights = ~base_weight, data = sample)
stratified <- svydesign(ids = ~1, strata = ~district, fpc = ~district_population,
                        weights = ~base_weight, data = sample)
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
                     list(margin_table("age_band"), margin_table("sex")), control = tight)
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
  add(name, "proportion", "Totaal", strip(names(coef(m))), coef(m))
  add(name, "proportion_se", "Totaal", strip(names(coef(m))), SE(m))
  s <- svymean(~score, d, na.rm = TRUE)
  add(name, "mean", "Totaal", "score", coef(s))
  add(name, "mean_se", "Totaal", "score", SE(s))
  add(name, "mean_ci", "Totaal", c("low", "high"), confint(s))
  p <- svyciprop(~I(answer == "eens"), d, method = "logit")
  add(name, "ciprop_logit", "Totaal", c("estimate", "low", "high"),
      c(coef(p), attr(p, "ci")))
  pv <- svyciprop(~I(answer == "eens"), subset(d, sex == "V"), method = "logit")
  add(name, "ciprop_logit", "V", c("estimate", "low", "high"), c(coef(pv), attr(pv, "ci")))
  b <- svyby(~factor(answer), ~sex, d, svymean, na.rm = TRUE)
  for (level in rownames(b)) {
    estimates <- coef(b)[startsWith(names(coef(b)), paste0(level, ":"))]
    labels <- sub("^[^:]*:factor\\(answer\\)", "", names(estimates))
    add(name, "proportion", level, labels, estimates)
    add(name, "proportion_se", level, labels, SE(b)[level, ])
  }
  bs <- svyby(~score, ~sex, d, svymean, na.rm = TRUE)
  add(name, "mean", rownames(bs), "score", coef(bs))
  add(name, "mean_se", rownames(bs), "score", SE(bs))
}
write.csv(do.call(rbind, rows), "reference_values.csv", row.names = FALSE, quote = TRUE)
