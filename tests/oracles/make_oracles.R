# Reference values from R for the reanalyse test-suite.
#
# Run from the repository root:
#     Rscript tests/oracles/make_oracles.R > tests/oracles/r_oracles.json
#
# Every record carries the exact R code that produced it (field "r_call"). The
# script evaluates that very string, so the recorded call and the value cannot
# drift apart. Numbers are written in the shortest decimal form that reads back
# (under correctly rounded parsing) to the same double, at most 17 significant
# digits. Non-finite numbers are
# written as the strings "Inf", "-Inf" and "NaN"; NA is written as null.
#
# The output is deterministic (no dates, no random numbers), so re-running the
# script with the same R and package versions reproduces the file byte for byte.

suppressPackageStartupMessages({
  library(metafor)
  library(statcheck)
})
has_pkg <- function(pkg) requireNamespace(pkg, quietly = TRUE)
HAS_EXACT <- has_pkg("Exact")
HAS_BAYESFACTOR <- has_pkg("BayesFactor")
HAS_PWR <- has_pkg("pwr")
if (HAS_BAYESFACTOR) suppressPackageStartupMessages(library(BayesFactor))
if (HAS_PWR) suppressPackageStartupMessages(library(pwr))
if (HAS_EXACT) suppressPackageStartupMessages(library(Exact))

# Everything the computations print (e.g. statcheck's progress bar) goes to the
# null device; only the final JSON is written to standard output.
sink(nullfile())

# ---------------------------------------------------------------------------
# JSON writing
# ---------------------------------------------------------------------------

num_str <- function(x) {
  if (is.nan(x)) return("\"NaN\"")
  if (is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Inf\"" else "\"-Inf\"")
  # The read-back check goes through jsonlite, which parses with the C
  # library's correctly rounded strtod (as Python's json does); R's own
  # as.numeric() is not correctly rounded in the last bit for some inputs.
  for (digits in 15:17) {
    s <- sprintf(paste0("%.", digits, "g"), x)
    if (jsonlite::fromJSON(s) == x) break
  }
  s
}

str_json <- function(x) {
  if (is.na(x)) return("null")
  as.character(jsonlite::toJSON(enc2utf8(x), auto_unbox = TRUE))
}

scalar_json <- function(x) {
  if (is.factor(x)) x <- as.character(x)
  if (is.character(x)) return(str_json(x))
  if (is.logical(x)) return(if (is.na(x)) "null" else if (x) "true" else "false")
  if (is.numeric(x)) return(num_str(as.double(x)))
  stop("cannot write a value of class ", class(x)[1])
}

# Atomic vectors of length one are scalars unless wrapped in I(); longer
# vectors and I() vectors are arrays; named lists are objects.
to_json <- function(v) {
  if (is.null(v)) return("null")
  if (is.list(v) && !inherits(v, "AsIs")) {
    if (!is.null(names(v))) {
      parts <- vapply(names(v), function(k) paste0(str_json(k), ": ", to_json(v[[k]])), "")
      return(paste0("{", paste(parts, collapse = ", "), "}"))
    }
    return(paste0("[", paste(vapply(v, to_json, ""), collapse = ", "), "]"))
  }
  if (is.list(v)) v <- unclass(v)
  if (is.list(v)) return(paste0("[", paste(vapply(v, to_json, ""), collapse = ", "), "]"))
  if (length(v) == 1 && !inherits(v, "AsIs")) return(scalar_json(v))
  v <- unclass(v)
  paste0("[", paste(vapply(seq_along(v), function(i) scalar_json(v[[i]]), ""), collapse = ", "), "]")
}

# ---------------------------------------------------------------------------
# Running recorded calls
# ---------------------------------------------------------------------------

# Literal for a number inside generated R code: the shortest exact form.
lit <- function(x) {
  s <- num_str(x)
  if (s == "\"Inf\"") "Inf" else if (s == "\"-Inf\"") "-Inf" else s
}
lits <- function(x) paste0("c(", paste(vapply(x, lit, ""), collapse = ", "), ")")
# The value R reads from lit(x): R's parser is not always correctly rounded in
# the last bit, so inputs recorded beside a call are taken from the call's text.
as_parsed <- function(x) eval(parse(text = lit(x), keep.source = FALSE))
qt_ <- function(s) paste0("\"", s, "\"")

# Evaluate an R code string in a fresh environment; return its value and any
# warnings R raised (their messages, in order).
run_r <- function(code) {
  warnings_seen <- character(0)
  value <- withCallingHandlers(
    eval(parse(text = code, keep.source = FALSE), envir = new.env(parent = globalenv())),
    warning = function(w) {
      warnings_seen <<- c(warnings_seen, conditionMessage(w))
      invokeRestart("muffleWarning")
    }
  )
  list(value = value, warnings = I(warnings_seen))
}

# The construction of raw data with exactly the printed mean and SD.
data_code <- function(name, n, m, s) {
  sprintf("%s <- %s + %s * as.numeric(scale(seq_len(%s)))", name, lit(m), lit(s), lit(n))
}

blocks <- list()
add_records <- function(block, records) {
  blocks[[block]] <<- c(blocks[[block]], records)
}

# ---------------------------------------------------------------------------
# Block 1: t_two_sample
# ---------------------------------------------------------------------------
# Group 1 (x) is the treatment arm, group 2 (y) the control arm; the mean
# difference and its confidence interval are treat minus control.

continuous_cases <- list(
  list(case = "raisi_dehkordi_epds_post", treat = c(60, 7.75, 2.18), control = c(60, 9.2, 2.04)),
  list(case = "unequal_n_and_sd", treat = c(12, 5.1, 1.3), control = c(25, 4.2, 2.9)),
  list(case = "n31_each", treat = c(31, 10.2, 4.1), control = c(31, 12.0, 4.6)),
  list(case = "tiny", treat = c(5, 3.0, 1.0), control = c(7, 4.5, 2.5)),
  list(case = "n4_each", treat = c(4, 10.0, 2.0), control = c(4, 14.5, 3.0)),
  list(case = "n300_each", treat = c(300, 50.3, 10.1), control = c(300, 48.2, 9.8)),
  list(case = "large_vs_small_unequal_sd", treat = c(150, 20.0, 5.0), control = c(15, 23.5, 9.0)),
  list(case = "equal_means", treat = c(20, 8.6, 3.2), control = c(22, 8.6, 4.1)),
  list(case = "near_threshold", treat = c(30, 12.1, 3.0), control = c(30, 10.5, 3.1)),
  list(case = "proportion_scale", treat = c(45, 0.85, 0.12), control = c(40, 0.78, 0.15))
)

for (cs in continuous_cases) {
  setup <- paste(data_code("x", cs$treat[1], cs$treat[2], cs$treat[3]),
                 data_code("y", cs$control[1], cs$control[2], cs$control[3]), sep = "; ")
  check <- run_r(paste0(setup, "; c(mean(x), sd(x), mean(y), sd(y))"))$value
  for (method in c("student", "welch")) {
    for (alternative in c("two.sided", "less", "greater")) {
      code <- sprintf("%s; t.test(x, y, alternative = %s, var.equal = %s, conf.level = 0.95)",
                      setup, qt_(alternative), if (method == "student") "TRUE" else "FALSE")
      res <- run_r(code)
      tt <- res$value
      add_records("t_two_sample", list(list(
        case = cs$case,
        treat_n = cs$treat[1], treat_mean = cs$treat[2], treat_sd = cs$treat[3],
        control_n = cs$control[1], control_mean = cs$control[2], control_sd = cs$control[3],
        data_construction = setup,
        achieved = list(treat_mean = check[1], treat_sd = check[2],
                        control_mean = check[3], control_sd = check[4]),
        method = method, alternative = alternative,
        r_call = code,
        statistic = unname(tt$statistic), df = unname(tt$parameter), p_value = tt$p.value,
        mean_difference = unname(tt$estimate[1] - tt$estimate[2]),
        conf_level = 0.95,
        conf_low = tt$conf.int[1], conf_high = tt$conf.int[2],
        r_warnings = res$warnings
      )))
    }
  }
}

# ---------------------------------------------------------------------------
# Block 2: oneway
# ---------------------------------------------------------------------------

oneway_sets <- list(
  list(case = "three_equal_n_similar_sd",
       groups = list(c(20, 10.0, 2.0), c(20, 11.0, 2.2), c(20, 12.5, 2.1))),
  list(case = "three_unequal_n_and_sd",
       groups = list(c(8, 5.2, 1.1), c(15, 6.8, 2.9), c(30, 6.1, 4.0))),
  list(case = "four_equal_n",
       groups = list(c(31, 10.2, 4.1), c(31, 12.0, 4.6), c(31, 11.1, 3.9), c(31, 9.5, 4.4))),
  list(case = "four_unequal_n_and_sd",
       groups = list(c(5, 3.0, 1.0), c(7, 4.5, 2.5), c(12, 5.1, 1.3), c(25, 4.2, 2.9))),
  list(case = "five_equal_n_unequal_sd",
       groups = list(c(10, 20, 3), c(10, 22, 6), c(10, 25, 9), c(10, 21, 2), c(10, 24, 5))),
  list(case = "five_unequal_n_and_sd",
       groups = list(c(4, 1.5, 0.5), c(9, 2.1, 0.8), c(16, 2.4, 1.2), c(25, 2.2, 0.9),
                     c(40, 2.9, 1.5)))
)

for (os in oneway_sets) {
  k <- length(os$groups)
  pieces <- vapply(seq_len(k), function(i) {
    g <- os$groups[[i]]
    data_code(paste0("g", i), g[1], g[2], g[3])
  }, "")
  setup <- paste0(
    paste(pieces, collapse = "; "),
    "; d <- data.frame(value = c(", paste0("g", seq_len(k), collapse = ", "), "), ",
    "group = factor(rep(c(", paste0("\"g", seq_len(k), "\"", collapse = ", "), "), ",
    lits(vapply(os$groups, `[`, 0, 1)), ")))"
  )
  for (var_equal in c(TRUE, FALSE)) {
    code <- sprintf("%s; oneway.test(value ~ group, data = d, var.equal = %s)",
                    setup, if (var_equal) "TRUE" else "FALSE")
    res <- run_r(code)
    ow <- res$value
    add_records("oneway", list(list(
      case = os$case,
      groups = lapply(os$groups, function(g) list(n = g[1], mean = g[2], sd = g[3])),
      data_construction = setup,
      method = if (var_equal) "fisher_anova" else "welch_anova",
      r_call = code,
      statistic = unname(ow$statistic),
      df_num = unname(ow$parameter[1]), df_den = unname(ow$parameter[2]),
      p_value = ow$p.value,
      r_warnings = res$warnings
    )))
  }
}

# ---------------------------------------------------------------------------
# Block 3: two_by_two
# ---------------------------------------------------------------------------
# Rows are the groups (treatment first), columns are (events, non-events):
#     matrix(c(a, n1 - a, c, n2 - c), 2, byrow = TRUE)

tables <- list(
  list(case = "raisi_dehkordi", t = c(15, 60), c = c(26, 60)),
  list(case = "7_12_vs_2_12", t = c(7, 12), c = c(2, 12)),
  list(case = "0_10_vs_5_10", t = c(0, 10), c = c(5, 10)),
  list(case = "3_31_vs_11_31", t = c(3, 31), c = c(11, 31)),
  list(case = "20_31_vs_11_31", t = c(20, 31), c = c(11, 31)),
  list(case = "1_19_vs_6_15", t = c(1, 19), c = c(6, 15)),
  list(case = "45_100_vs_30_100", t = c(45, 100), c = c(30, 100)),
  list(case = "120_200_vs_95_200", t = c(120, 200), c = c(95, 200)),
  list(case = "2_8_vs_7_9", t = c(2, 8), c = c(7, 9)),
  list(case = "10_10_vs_4_10", t = c(10, 10), c = c(4, 10)),
  list(case = "5_25_vs_12_25", t = c(5, 25), c = c(12, 25)),
  list(case = "1_30_vs_8_30", t = c(1, 30), c = c(8, 30)),
  list(case = "yates_capped_10_20_vs_10_21", t = c(10, 20), c = c(10, 21)),
  list(case = "12_40_vs_3_38", t = c(12, 40), c = c(3, 38)),
  list(case = "equal_8_20_vs_8_20", t = c(8, 20), c = c(8, 20)),
  list(case = "rd_sign_flips_with_half_0_3_vs_2_30", t = c(0, 3), c = c(2, 30))
)

table_code <- function(tb) {
  sprintf("m <- matrix(c(%s, %s, %s, %s), 2, byrow = TRUE)",
          lit(tb$t[1]), lit(tb$t[2] - tb$t[1]), lit(tb$c[1]), lit(tb$c[2] - tb$c[1]))
}

table_fields <- function(tb) {
  list(case = tb$case, treat_events = tb$t[1], treat_n = tb$t[2],
       control_events = tb$c[1], control_n = tb$c[2])
}

for (tb in tables) {
  setup <- table_code(tb)
  recs <- list()
  for (correct in c(FALSE, TRUE)) {
    code <- sprintf("%s; chisq.test(m, correct = %s)", setup, if (correct) "TRUE" else "FALSE")
    res <- run_r(code)
    recs[[length(recs) + 1]] <- c(table_fields(tb), list(
      test = if (correct) "chisq_yates" else "chisq_pearson", alternative = "two.sided",
      r_call = code, statistic = unname(res$value$statistic), df = unname(res$value$parameter),
      p_value = res$value$p.value, r_warnings = res$warnings))
  }
  for (alternative in c("two.sided", "less", "greater")) {
    code <- sprintf("%s; fisher.test(m, alternative = %s, conf.level = 0.95)", setup, qt_(alternative))
    res <- run_r(code)
    ft <- res$value
    recs[[length(recs) + 1]] <- c(table_fields(tb), list(
      test = "fisher", alternative = alternative, r_call = code,
      p_value = ft$p.value, odds_ratio_conditional_mle = unname(ft$estimate),
      conf_level = 0.95, conf_low = ft$conf.int[1], conf_high = ft$conf.int[2],
      r_warnings = res$warnings))
  }
  for (correct in c(FALSE, TRUE)) {
    for (alternative in c("two.sided", "less", "greater")) {
      code <- sprintf("prop.test(%s, %s, alternative = %s, correct = %s)",
                      lits(c(tb$t[1], tb$c[1])), lits(c(tb$t[2], tb$c[2])), qt_(alternative),
                      if (correct) "TRUE" else "FALSE")
      res <- run_r(code)
      pt_ <- res$value
      x2 <- unname(pt_$statistic)
      diff <- unname(pt_$estimate[1] - pt_$estimate[2])
      recs[[length(recs) + 1]] <- c(table_fields(tb), list(
        test = if (correct) "prop_test_yates" else "prop_test", alternative = alternative,
        r_call = code, statistic = x2, p_value = pt_$p.value,
        z = sign(diff) * sqrt(x2),
        z_definition = "sign(estimate[1] - estimate[2]) * sqrt(statistic)",
        treat_proportion = unname(pt_$estimate[1]), control_proportion = unname(pt_$estimate[2]),
        conf_level = 0.95, conf_low = pt_$conf.int[1], conf_high = pt_$conf.int[2],
        r_warnings = res$warnings))
    }
  }
  add_records("two_by_two", recs)
}

# ---------------------------------------------------------------------------
# Block 4: escalc
# ---------------------------------------------------------------------------

for (tb in tables) {
  cells <- c(tb$t[1], tb$t[2] - tb$t[1], tb$c[1], tb$c[2] - tb$c[1])
  has_zero <- any(cells == 0)
  # With the defaults (add = 1/2, to = "only0") escalc adds 1/2 to every cell of
  # a table that has a zero cell, for OR, RR and RD alike; add = 0 shows the
  # uncorrected values (infinite log ratios when a cell is zero).
  variants <- list(list(name = "default", args = ""), list(name = "add0", args = ", add = 0"))
  for (measure in c("OR", "RR", "RD")) {
    for (vr in variants) {
      back <- if (measure %in% c("OR", "RR")) "exp" else ""
      code <- sprintf(paste0(
        "es <- escalc(measure = %s, ai = %s, bi = %s, ci = %s, di = %s%s); ",
        "ci <- %s(es$yi + c(-1, 1) * qnorm(0.975) * sqrt(es$vi)); ",
        "c(yi = es$yi, vi = es$vi, ci_low = ci[1], ci_high = ci[2])"),
        qt_(measure), lit(cells[1]), lit(cells[2]), lit(cells[3]), lit(cells[4]), vr$args, back)
      res <- run_r(code)
      v <- res$value
      add_records("escalc", list(c(table_fields(tb), list(
        measure = measure, variant = vr$name, has_zero_cell = has_zero, r_call = code,
        yi = unname(v["yi"]), vi = unname(v["vi"]),
        ci_scale = if (back == "exp") "exp (ratio scale)" else "identity",
        conf_low = unname(v["ci_low"]), conf_high = unname(v["ci_high"]),
        r_warnings = res$warnings))))
    }
  }
}

for (cs in continuous_cases) {
  for (measure in c("SMD", "MD")) {
    code <- sprintf(paste0(
      "es <- escalc(measure = %s, m1i = %s, sd1i = %s, n1i = %s, m2i = %s, sd2i = %s, n2i = %s); ",
      "ci <- es$yi + c(-1, 1) * qnorm(0.975) * sqrt(es$vi); ",
      "c(yi = es$yi, vi = es$vi, ci_low = ci[1], ci_high = ci[2])"),
      qt_(measure), lit(cs$treat[2]), lit(cs$treat[3]), lit(cs$treat[1]),
      lit(cs$control[2]), lit(cs$control[3]), lit(cs$control[1]))
    res <- run_r(code)
    v <- res$value
    add_records("escalc", list(list(
      case = cs$case,
      treat_n = cs$treat[1], treat_mean = cs$treat[2], treat_sd = cs$treat[3],
      control_n = cs$control[1], control_mean = cs$control[2], control_sd = cs$control[3],
      measure = measure,
      variant = if (measure == "SMD") "default (vtype = \"LS\", exact bias correction)"
                else "default (vtype = \"LS\": sd1^2/n1 + sd2^2/n2)",
      r_call = code,
      yi = unname(v["yi"]), vi = unname(v["vi"]), ci_scale = "identity",
      conf_low = unname(v["ci_low"]), conf_high = unname(v["ci_high"]),
      r_warnings = res$warnings)))
  }
}

# ---------------------------------------------------------------------------
# Block 5: boschloo (needs the Exact package)
# ---------------------------------------------------------------------------

if (HAS_EXACT) {
  small_tables <- Filter(function(tb) tb$t[2] <= 30 && tb$c[2] <= 30, tables)
  for (tb in small_tables) {
    for (method in c("boschloo", "z-pooled")) {
      for (alternative in c("two.sided", "less", "greater")) {
        code <- sprintf(paste0(
          "%s; exact.test(m, method = %s, alternative = %s, model = \"Binomial\", ",
          "cond.row = TRUE, to.plot = FALSE, npNumbers = 1000, ref.pvalue = TRUE)"),
          table_code(tb), qt_(method), qt_(alternative))
        res <- run_r(code)
        add_records("boschloo", list(c(table_fields(tb), list(
          method = method, alternative = alternative, r_call = code,
          statistic = unname(res$value$statistic), p_value = res$value$p.value,
          nuisance_parameter = unname(res$value$parameter),
          r_warnings = res$warnings))))
      }
    }
  }
}

# ---------------------------------------------------------------------------
# Block 6: statcheck
# ---------------------------------------------------------------------------
# Strings are written with \u escapes so the script reads the same under any
# locale: \u03c7 is the Greek chi, \u2212 the unicode minus sign.

statcheck_texts <- list(
  list(case = "t_error_and_decision_error", text = "t(28) = 2.20, p = .06"),
  list(case = "F_p_less_than", text = "F(2, 87) = 3.1, p < .05"),
  list(case = "chi2_with_N", text = "\u03c72(1, N = 120) = 4.48, p = .034"),
  list(case = "r_consistent", text = "r(58) = .31, p = .02"),
  list(case = "z_consistent", text = "The groups differed, z = 2.1, p = .04."),
  list(case = "z_at_start_of_text_not_extracted", text = "z = 2.1, p = .04"),
  list(case = "t_consistent", text = "t(58) = 2.66, p = .01"),
  list(case = "t_p_less_than_001", text = "t(118) = 3.76, p < .001"),
  list(case = "t_p_greater_than", text = "t(30) = 1.70, p > .05"),
  list(case = "t_p_exactly_05_computed_below", text = "t(45) = 2.02, p = .05"),
  list(case = "t_p_exactly_05_computed_above", text = "t(40) = 1.98, p = .05"),
  list(case = "F_p_exactly_05", text = "F(1, 60) = 4.00, p = .05"),
  list(case = "t_p_000", text = "t(28) = 2.05, p = .000"),
  list(case = "F_p_000", text = "F(3, 120) = 12.5, p = .000"),
  list(case = "t_one_tailed_mention", text = "The effect was significant, t(25) = 1.80, p = .04, one-tailed.",
       one_tailed = TRUE),
  list(case = "t_one_sided_mention", text = "As predicted, t(22) = 1.72, p = .05 (one-sided).",
       one_tailed = TRUE),
  list(case = "t_unicode_minus", text = "t(30) = \u22122.35, p = .03"),
  list(case = "t_ascii_minus", text = "t(30) = -2.35, p = .03"),
  list(case = "chi2_df2_with_N", text = "\u03c72(2, N = 90) = 6.20, p = .045"),
  list(case = "chi2_without_N", text = "\u03c72(1) = 3.20, p = .07"),
  list(case = "r_unicode_minus", text = "r(98) = \u2212.25, p = .01"),
  list(case = "z_196_p_05", text = "Result: z = 1.96, p = .05"),
  list(case = "z_p_less_than_01", text = "The test gave z = 2.58, p < .01."),
  list(case = "F_consistent", text = "F(1, 58) = 5.12, p = .03"),
  list(case = "F_decision_error_less_than", text = "F(2, 57) = 2.10, p < .05"),
  list(case = "r_rounding_consistent", text = "r(28) = .45, p = .01"),
  list(case = "t_three_decimals", text = "t(15) = 2.131, p = .05"),
  list(case = "t_decision_error_computed_just_above_05", text = "t(60) = 2.00, p = .01"),
  list(case = "t_error_not_decision_error", text = "t(60) = 3.00, p = .01"),
  list(case = "F_decision_error_p_less_001", text = "F(1, 30) = 1.50, p < .001"),
  list(case = "t_p_less_than_consistent", text = "t(28) = 2.20, p < .05"),
  list(case = "z_unicode_minus_p_less_001", text = "In the test, z = \u22123.30, p < .001."),
  list(case = "t_without_df_not_extracted", text = "t = 2.20, p = .04")
)

# The code that goes into r_call spells non-ASCII characters as \u escapes.
r_string_literal <- function(s) {
  cps <- utf8ToInt(s)
  out <- vapply(cps, function(cp) {
    if (cp == 34L) "\\\"" else if (cp == 92L) "\\\\"
    else if (cp < 128L) intToUtf8(cp) else sprintf("\\u%04x", cp)
  }, "")
  paste0("\"", paste(out, collapse = ""), "\"")
}

statcheck_columns <- c("test_type", "df1", "df2", "test_comp", "test_value", "p_comp",
                       "reported_p", "computed_p", "raw", "error", "decision_error",
                       "one_tailed_in_txt", "apa_factor")

# One record per text (and per option set): every result statcheck extracts.
add_statcheck_records <- function(block, texts) {
  for (st in texts) {
    option_sets <- list(list(name = "default", args = ""))
    if (isTRUE(st$one_tailed)) {
      option_sets[[2]] <- list(name = "OneTailedTxt", args = ", OneTailedTxt = TRUE")
    }
    for (opt in option_sets) {
      code <- sprintf("statcheck(%s%s, messages = FALSE)", r_string_literal(st$text), opt$args)
      res <- run_r(code)
      sc <- res$value
      results <- list()
      if (!is.null(sc) && nrow(sc) > 0) {
        results <- lapply(seq_len(nrow(sc)), function(i) as.list(sc[i, statcheck_columns]))
      }
      add_records(block, list(list(
        case = st$case, text = st$text, options = opt$name,
        r_call = code,
        n_extracted = length(results),
        results = results,
        r_warnings = res$warnings
      )))
    }
  }
}

add_statcheck_records("statcheck", statcheck_texts)

# ---------------------------------------------------------------------------
# Block 6b: statcheck_forms
# ---------------------------------------------------------------------------
# Whole sentences in the forms articles print, for the text extractor
# (reanalyse extract): p in scientific notation, thousands separators, unicode
# minus signs, chi2 with N, r, z, F, heterogeneity Q, one-tailed sentences,
# p = .000 and p exactly at alpha. Some are forms statcheck does not read (it
# then extracts nothing): the record shows that it does not.

statcheck_forms <- list(
  # p in scientific notation
  list(case = "sci_p_z_rounds_to_computed", text = "The effect was z = 4.2, p = 2.7e-05."),
  list(case = "sci_p_t_rounds_to_computed", text = "The effect was t(40) = 6.1, p = 3.4e-07."),
  list(case = "sci_p_t_three_digits", text = "The effect was t(40) = 6.1, p = 3.42e-7."),
  list(case = "sci_p_t_wrong", text = "The effect was t(40) = 6.1, p = 1.1e-06."),
  list(case = "sci_p_less_than", text = "The effect was t(40) = 6.1, p < 1e-06."),
  list(case = "sci_p_capital_e", text = "The effect was t(40) = 6.1, p = 3.4E-07."),
  list(case = "sci_p_times_ten", text = "The effect was z = 4.2, p = 2.7 x 10^-5."),
  list(case = "sci_p_unicode_times_ten", text = "The effect was z = 4.2, p = 2.7 \u00d7 10\u22125."),
  # thousands separators
  list(case = "F_thousands_statistic", text = "The effect was F(1, 4000) = 1,234.56, p < .001."),
  list(case = "chi2_thousands_N_and_statistic",
       text = "The effect was \u03c72(2, N = 1,200) = 1,234.5, p < .001."),
  list(case = "z_thousands_statistic", text = "The effect was z = 1,234.5, p < .001."),
  list(case = "t_thousands_df", text = "The effect was t(4,000) = 2.1, p = .04."),
  list(case = "t_df_4000", text = "The effect was t(4000) = 2.1, p = .04."),
  list(case = "F_thousands_df", text = "The effect was F(1, 4,000) = 12.5, p < .001."),
  list(case = "F_df_4000", text = "The effect was F(1, 4000) = 12.5, p < .001."),
  # unicode minus signs
  list(case = "r_unicode_minus_large_df", text = "The effect was r(1998) = \u2212.05, p = .03."),
  list(case = "z_unicode_minus_sci_p", text = "The effect was z = \u22124.2, p = 2.7e-05."),
  list(case = "t_unicode_minus_decision_error", text = "The effect was t(30) = \u22121.20, p = .03."),
  list(case = "F_unicode_minus", text = "The effect was F(1, 40) = \u22124.41, p = .04."),
  # chi2 with N, r, z, F
  list(case = "chi2_N_p_less_than", text = "The effect was \u03c72(1, N = 50) = 15.2, p < .001."),
  list(case = "chi2_N_error", text = "The effect was \u03c72(3, N = 200) = 7.40, p = .04."),
  list(case = "r_consistent_p_alpha", text = "The effect was r(48) = .28, p = .05."),
  list(case = "r_p_greater_than", text = "The effect was r(30) = .20, p > .05."),
  list(case = "z_consistent_p_10", text = "The effect was z = 1.65, p = .10."),
  list(case = "F_p_alpha_computed_above", text = "The effect was F(2, 120) = 3.07, p = .05."),
  list(case = "F_ocr_capital_i", text = "The test was F(I, 40) = 4.41, p = .04."),
  # heterogeneity Q
  list(case = "Q_consistent", text = "Heterogeneity was Q(2) = 4.61, p = .10."),
  list(case = "Q_df9_consistent", text = "Heterogeneity was Q(9) = 22.1, p = .009."),
  list(case = "Q_p_alpha", text = "Heterogeneity was Q(4) = 9.49, p = .05."),
  list(case = "Q_decision_error", text = "Heterogeneity was Q(2) = 4.61, p = .05."),
  list(case = "Q_thousands_decision_error", text = "Heterogeneity was Q(2) = 1,234.5, p = .30."),
  list(case = "Q_df_named_not_read", text = "Heterogeneity was Q(df = 9) = 22.1, p = .009."),
  # one-tailed sentences
  list(case = "r_one_tailed_two_sided_p_fits",
       text = "The one-tailed hypothesis was supported, r(54) = .23, p = .088.", one_tailed = TRUE),
  list(case = "r_one_tailed_halved_p_fits",
       text = "The one-tailed hypothesis was supported, r(54) = .23, p = .044.", one_tailed = TRUE),
  list(case = "t_one_tailed_neither_fits",
       text = "The effect was significant, t(25) = 1.80, p = .01, one-tailed.", one_tailed = TRUE),
  list(case = "z_one_sided_halved_p_fits",
       text = "As predicted (one-sided), z = 1.70, p = .045.", one_tailed = TRUE),
  list(case = "t_one_tailed_in_another_sentence",
       text = "All tests were one-tailed. The effect was t(25) = 1.80, p = .04.", one_tailed = TRUE),
  list(case = "F_one_tailed_sentence",
       text = "The one-tailed test gave F(1, 25) = 3.24, p = .04.", one_tailed = TRUE),
  # p = .000
  list(case = "z_p_000", text = "The effect was z = 2.05, p = .000."),
  list(case = "r_p_000", text = "The effect was r(50) = .30, p = .000."),
  list(case = "Q_p_000_decision_error", text = "Heterogeneity was Q(3) = 2.1, p = .000."),
  list(case = "chi2_p_000_computed_below_0005",
       text = "The effect was \u03c72(1, N = 50) = 15.2, p = .000.")
)

add_statcheck_records("statcheck_forms", statcheck_forms)

# ---------------------------------------------------------------------------
# Block 7: p_from_statistic
# ---------------------------------------------------------------------------

p_calls <- list(
  list(kind = "t", statistic = 2.20, df1 = 28),
  list(kind = "t", statistic = 2.195, df1 = 28),
  list(kind = "t", statistic = 2.205, df1 = 28),
  list(kind = "t", statistic = 2.05, df1 = 28),
  list(kind = "t", statistic = -2.35, df1 = 30),
  list(kind = "t", statistic = 1.96, df1 = 1000),
  list(kind = "t", statistic = 0.5, df1 = 4),
  list(kind = "t", statistic = 3.76, df1 = 118),
  list(kind = "t_one_tailed_upper", statistic = 1.80, df1 = 25),
  list(kind = "F", statistic = 3.1, df1 = 2, df2 = 87),
  list(kind = "F", statistic = 3.05, df1 = 2, df2 = 87),
  list(kind = "F", statistic = 3.15, df1 = 2, df2 = 87),
  list(kind = "F", statistic = 4.00, df1 = 1, df2 = 60),
  list(kind = "F", statistic = 12.5, df1 = 3, df2 = 120),
  list(kind = "chisq", statistic = 4.48, df1 = 1),
  list(kind = "chisq", statistic = 4.475, df1 = 1),
  list(kind = "chisq", statistic = 4.485, df1 = 1),
  list(kind = "chisq", statistic = 6.20, df1 = 2),
  list(kind = "z", statistic = 2.1),
  list(kind = "z", statistic = 2.05),
  list(kind = "z", statistic = 2.15),
  list(kind = "z", statistic = 1.96),
  list(kind = "z", statistic = -3.30),
  list(kind = "r", statistic = 0.31, df1 = 58),
  list(kind = "r", statistic = 0.305, df1 = 58),
  list(kind = "r", statistic = 0.315, df1 = 58),
  list(kind = "r", statistic = -0.25, df1 = 98)
)

for (pc in p_calls) {
  s <- lit(pc$statistic)
  code <- switch(pc$kind,
    t = sprintf("2 * pt(-abs(%s), %s)", s, lit(pc$df1)),
    t_one_tailed_upper = sprintf("pt(%s, %s, lower.tail = FALSE)", s, lit(pc$df1)),
    F = sprintf("pf(%s, %s, %s, lower.tail = FALSE)", s, lit(pc$df1), lit(pc$df2)),
    chisq = sprintf("pchisq(%s, %s, lower.tail = FALSE)", s, lit(pc$df1)),
    z = sprintf("2 * pnorm(-abs(%s))", s),
    r = sprintf("r <- %s; df <- %s; t <- r * sqrt(df / (1 - r^2)); 2 * pt(-abs(t), df)",
                s, lit(pc$df1))
  )
  res <- run_r(code)
  rec <- list(kind = pc$kind, statistic = pc$statistic,
              df1 = if (is.null(pc$df1)) NA else pc$df1,
              df2 = if (is.null(pc$df2)) NA else pc$df2,
              r_call = code, p_value = res$value)
  if (pc$kind == "r") {
    rec$t_from_r <- run_r(sprintf("r <- %s; df <- %s; r * sqrt(df / (1 - r^2))",
                                  s, lit(pc$df1)))$value
  }
  rec$r_warnings <- res$warnings
  add_records("p_from_statistic", list(rec))
}

# ---------------------------------------------------------------------------
# Block 8: power_bf
# ---------------------------------------------------------------------------

power_calls <- list(
  list(n = 31, delta = 0.5), list(n = 60, delta = 0.5), list(n = 20, delta = 0.8),
  list(n = 31, delta = 0.3), list(n = 10, delta = 1)
)
for (pw in power_calls) {
  code <- sprintf("power.t.test(n = %s, delta = %s, sd = 1, sig.level = 0.05)", lit(pw$n), lit(pw$delta))
  res <- run_r(code)
  add_records("power_bf", list(list(
    quantity = "power", function_name = "power.t.test", n_per_arm = pw$n, delta = pw$delta, sd = 1,
    sig_level = 0.05, alternative = "two.sided", type = "two.sample", r_call = code,
    power = res$value$power, r_warnings = res$warnings)))
}
for (n in c(31, 60, 20)) {
  code <- sprintf("power.t.test(n = %s, power = 0.8, sd = 1, sig.level = 0.05)", lit(n))
  res <- run_r(code)
  add_records("power_bf", list(list(
    quantity = "delta", function_name = "power.t.test", n_per_arm = n, power = 0.8, sd = 1,
    sig_level = 0.05, alternative = "two.sided", type = "two.sample", r_call = code,
    delta = res$value$delta, r_warnings = res$warnings)))
}
code <- "power.t.test(delta = 0.5, power = 0.8, sd = 1, sig.level = 0.05)"
res <- run_r(code)
add_records("power_bf", list(list(
  quantity = "n", function_name = "power.t.test", delta = 0.5, power = 0.8, sd = 1,
  sig_level = 0.05, alternative = "two.sided", type = "two.sample", r_call = code,
  n_per_arm = res$value$n, r_warnings = res$warnings)))
code <- "power.t.test(n = 31, delta = 0.5, sd = 1, sig.level = 0.05, alternative = \"one.sided\")"
res <- run_r(code)
add_records("power_bf", list(list(
  quantity = "power", function_name = "power.t.test", n_per_arm = 31, delta = 0.5, sd = 1,
  sig_level = 0.05, alternative = "one.sided", type = "two.sample", r_call = code,
  power = res$value$power, r_warnings = res$warnings)))

if (HAS_PWR) {
  for (pw in list(list(n = 31, d = 0.5), list(n = 20, d = 0.8))) {
    code <- sprintf("pwr::pwr.t.test(n = %s, d = %s, sig.level = 0.05, type = \"two.sample\", alternative = \"two.sided\")",
                    lit(pw$n), lit(pw$d))
    res <- run_r(code)
    add_records("power_bf", list(list(
      quantity = "power", function_name = "pwr::pwr.t.test", n_per_arm = pw$n, delta = pw$d, sd = 1,
      sig_level = 0.05, alternative = "two.sided", type = "two.sample", r_call = code,
      power = res$value$power, r_warnings = res$warnings)))
  }
}

if (HAS_BAYESFACTOR) {
  raisi_t <- run_r(paste0(data_code("x", 60, 7.75, 2.18), "; ", data_code("y", 60, 9.2, 2.04),
                          "; unname(t.test(x, y, var.equal = TRUE)$statistic)"))$value
  bf_calls <- list(
    list(t = raisi_t, n1 = 60, n2 = 60, note = "Student t of raisi_dehkordi_epds_post (block t_two_sample)"),
    list(t = 2.0, n1 = 31, n2 = 31), list(t = 1.0, n1 = 31, n2 = 31),
    list(t = 3.5, n1 = 31, n2 = 31), list(t = 2.2, n1 = 60, n2 = 60),
    list(t = 0.5, n1 = 12, n2 = 25), list(t = -2.5, n1 = 20, n2 = 20)
  )
  for (bc in bf_calls) {
    for (rscale in c("0.707", "\"medium\"")) {
      code <- sprintf("BayesFactor::ttest.tstat(t = %s, n1 = %s, n2 = %s, rscale = %s, simple = TRUE)",
                      lit(bc$t), lit(bc$n1), lit(bc$n2), rscale)
      res <- run_r(code)
      add_records("power_bf", list(list(
        quantity = "bf10", function_name = "BayesFactor::ttest.tstat",
        t = as_parsed(bc$t), n1 = bc$n1, n2 = bc$n2, rscale = rscale,
        note = if (is.null(bc$note)) NA else bc$note,
        r_call = code, bf10 = unname(res$value), r_warnings = res$warnings)))
    }
  }
}

# ---------------------------------------------------------------------------
# Block 9: stouffer
# ---------------------------------------------------------------------------
# One-sided p-values, each in the same direction. The lower-tail form
# pnorm(sum(qnorm(p)) / sqrt(k)) equals the upper-tail form written with
# lower.tail = FALSE on both calls; both are recorded.

stouffer_sets <- list(
  list(case = "three_moderate", p = c(0.04, 0.10, 0.20)),
  list(case = "three_small", p = c(0.01, 0.02, 0.03)),
  list(case = "two_halves", p = c(0.5, 0.5)),
  list(case = "four_mixed", p = c(0.001, 0.3, 0.6, 0.9)),
  list(case = "two_near_alpha", p = c(0.04, 0.06)),
  list(case = "single", p = c(0.025))
)
for (ss in stouffer_sets) {
  p_lit <- lits(ss$p)
  forms <- list(
    list(form = "lower_tail", code = sprintf(
      "p <- %s; k <- length(p); z <- sum(qnorm(p, lower.tail = TRUE)) / sqrt(k); c(z = z, p = pnorm(z, lower.tail = TRUE))",
      p_lit)),
    list(form = "upper_tail", code = sprintf(
      "p <- %s; k <- length(p); z <- sum(qnorm(p, lower.tail = FALSE)) / sqrt(k); c(z = z, p = pnorm(z, lower.tail = FALSE))",
      p_lit))
  )
  for (fm in forms) {
    res <- run_r(fm$code)
    add_records("stouffer", list(list(
      case = ss$case, p_values = I(ss$p), weights = NA, form = fm$form, r_call = fm$code,
      z = unname(res$value["z"]), combined_p = unname(res$value["p"]), r_warnings = res$warnings)))
  }
}
weighted_sets <- list(
  list(case = "weighted_sqrt_n", p = c(0.04, 0.10, 0.20), w = "sqrt(c(60, 31, 120))"),
  list(case = "weighted_n", p = c(0.01, 0.30), w = "c(100, 25)")
)
for (ws in weighted_sets) {
  code <- sprintf(
    "p <- %s; w <- %s; z <- sum(w * qnorm(p, lower.tail = FALSE)) / sqrt(sum(w^2)); c(z = z, p = pnorm(z, lower.tail = FALSE))",
    lits(ws$p), ws$w)
  res <- run_r(code)
  add_records("stouffer", list(list(
    case = ws$case, p_values = I(ws$p), weights = I(run_r(ws$w)$value), form = "weighted_upper_tail", r_call = code,
    z = unname(res$value["z"]), combined_p = unname(res$value["p"]), r_warnings = res$warnings)))
}

# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

pkg_version <- function(pkg) if (has_pkg(pkg)) utils::packageDescription(pkg)$Version else NA
meta <- list(
  r_version = R.version.string,
  packages = list(
    stats = pkg_version("stats"), metafor = pkg_version("metafor"),
    statcheck = pkg_version("statcheck"), jsonlite = pkg_version("jsonlite"),
    BayesFactor = pkg_version("BayesFactor"), pwr = pkg_version("pwr"), Exact = pkg_version("Exact")
  ),
  unavailable_blocks = I(if (HAS_EXACT) character(0) else "boschloo"),
  statcheck_defaults = lapply(formals(statcheck::statcheck)[-1], function(v) {
    v <- eval(v)
    if (length(v) > 1) I(v) else v
  }),
  escalc_defaults = list(add = 0.5, to = "only0", drop00 = FALSE, vtype = "LS"),
  data_construction = "x <- m + s * as.numeric(scale(seq_len(n))) gives a sample with mean m and SD s exactly (to rounding error)",
  group_order = "treatment is group 1 (x, first row), control is group 2 (y, second row); differences are treatment minus control",
  number_format = "shortest decimal that reads back to the same double; \"Inf\", \"-Inf\", \"NaN\" strings for non-finite values; null for NA"
)

sink()
out <- c("{", paste0("  \"meta\": ", to_json(meta), ","))
block_names <- names(blocks)
for (i in seq_along(block_names)) {
  recs <- blocks[[block_names[i]]]
  lines <- vapply(recs, to_json, "")
  out <- c(out, paste0("  ", str_json(block_names[i]), ": ["),
           paste0("    ", lines, c(rep(",", length(lines) - 1), "")),
           paste0("  ]", if (i < length(block_names)) "," else ""))
}
out <- c(out, "}")
writeLines(out)
