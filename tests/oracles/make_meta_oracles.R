# Reference values from metafor for the meta-analysis kernels and `reanalyse meta`.
#
# Run from the repository root:
#     Rscript tests/oracles/make_meta_oracles.R
# It writes tests/oracles/meta_oracles.json and one CSV per dataset under
# tests/data/meta/ (the datasets of metadat, as `reanalyse meta` reads them).
#
# Every record carries the exact R code that produced it ("r_call"): the script
# evaluates that very string, so call and value cannot drift apart. Numbers are
# written in the shortest decimal form that reads back to the same double; the
# CSV files use the same form, so the CLI reads exactly the doubles R used.
# Non-finite numbers are written as "Inf", "-Inf", "NaN"; NA as null.
#
# Iterative estimators are run with tight tolerances (named in each call:
# REML's threshold, Paule-Mandel's and the Q-profile's uniroot tol), so the
# recorded values are the estimators' exact solutions to about 1e-10, not
# metafor's default stopping points (REML threshold 1e-5, uniroot tol 1.2e-4).

suppressPackageStartupMessages({
  library(metafor)
  library(metadat)
})

num_str <- function(x) {
  if (is.nan(x)) return("\"NaN\"")
  if (is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Inf\"" else "\"-Inf\"")
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
# Length-one atomic vectors are scalars unless wrapped in I(); named lists are objects.
to_json <- function(v) {
  if (is.null(v)) return("null")
  if (is.list(v) && !inherits(v, "AsIs")) {
    if (!is.null(names(v))) {
      parts <- vapply(names(v), function(k) paste0(str_json(k), ": ", to_json(v[[k]])), "")
      return(paste0("{", paste(parts, collapse = ",\n "), "}"))
    }
    return(paste0("[", paste(vapply(v, to_json, ""), collapse = ",\n "), "]"))
  }
  if (length(v) == 1 && !inherits(v, "AsIs")) return(scalar_json(v))
  v <- unclass(v)
  paste0("[", paste(vapply(seq_along(v), function(i) scalar_json(v[[i]]), ""), collapse = ", "), "]")
}

# Evaluate a code string in a fresh environment (warnings recorded, not shown).
run_r <- function(code) {
  seen <- character(0)
  value <- withCallingHandlers(
    eval(parse(text = code, keep.source = FALSE), envir = new.env(parent = globalenv())),
    warning = function(w) {
      seen <<- c(seen, conditionMessage(w))
      invokeRestart("muffleWarning")
    }
  )
  list(value = value, warnings = I(seen))
}

# ---------------------------------------------------------------------------
# Datasets: the setup code gives the role-named vectors (treatment = arm 1).
# ---------------------------------------------------------------------------

binary <- list(
  bcg = "d <- dat.bcg; study <- d$author; ai <- d$tpos; n1i <- d$tpos + d$tneg; ci <- d$cpos; n2i <- d$cpos + d$cneg",
  li2007 = "d <- dat.li2007; study <- d$study; ai <- d$ai; n1i <- d$n1i; ci <- d$ci; n2i <- d$n2i",
  collins1985a = "d <- dat.collins1985a[!is.na(dat.collins1985a$b.xti), ]; study <- d$trial; ai <- d$b.xti; n1i <- d$nti; ci <- d$b.xci; n2i <- d$nci",
  egger2001 = "d <- dat.egger2001; study <- d$study; ai <- d$ai; n1i <- d$n1i; ci <- d$ci; n2i <- d$n2i",
  hine1989 = "d <- dat.hine1989; study <- d$source; ai <- d$ai; n1i <- d$n1i; ci <- d$ci; n2i <- d$n2i",
  nielweise2007 = "d <- dat.nielweise2007; study <- d$author; ai <- d$ai; n1i <- d$n1i; ci <- d$ci; n2i <- d$n2i",
  lee2004 = "d <- dat.lee2004; study <- d$study; ai <- d$ai; n1i <- d$n1i; ci <- d$ci; n2i <- d$n2i",
  yusuf1985_table9 = "d <- dat.yusuf1985[dat.yusuf1985$table == \"9\", ]; study <- d$trial; ai <- d$ai; n1i <- d$n1i; ci <- d$ci; n2i <- d$n2i",
  gibson2002_binary = "d <- dat.gibson2002[!is.na(dat.gibson2002$ai), ]; study <- d$author; ai <- d$ai; n1i <- d$ai + d$bi; ci <- d$ci; n2i <- d$ci + d$di"
)
continuous <- list(
  normand1999 = "d <- dat.normand1999; study <- d$source; m1i <- d$m1i; sd1i <- d$sd1i; n1i <- d$n1i; m2i <- d$m2i; sd2i <- d$sd2i; n2i <- d$n2i",
  curtis1998 = "d <- dat.curtis1998; study <- paste(d$paper, d$id); m1i <- d$m1i; sd1i <- d$sd1i; n1i <- d$n1i; m2i <- d$m2i; sd2i <- d$sd2i; n2i <- d$n2i",
  gibson2002_continuous = "d <- dat.gibson2002[!is.na(dat.gibson2002$m1i), ]; study <- d$author; m1i <- d$m1i; sd1i <- d$sd1i; n1i <- d$n1i; m2i <- d$m2i; sd2i <- d$sd2i; n2i <- d$n2i"
)
precomputed <- list(
  hackshaw1998 = "d <- dat.hackshaw1998; study <- d$study; yi <- d$yi; vi <- d$vi",
  raudenbush1985 = "d <- dat.raudenbush1985; study <- d$study; yi <- d$yi; vi <- d$vi"
)

# ---------------------------------------------------------------------------
# Calls
# ---------------------------------------------------------------------------

ES_BINARY <- "ai = ai, n1i = n1i, ci = ci, n2i = n2i"
ES_CONTINUOUS <- "m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i"
# The zero-cell conventions as escalc arguments.
ZERO <- list(revman = ", drop00 = TRUE", metafor = "")
# Tight tolerances for the iterative estimators (see the header).  REML's threshold is
# absolute in tau^2: 1e-14, except for mean differences on raw scales, whose tau^2 runs to
# the hundreds (1e-14 is below the spacing of doubles there), where it is 1e-10.
CONTROL <- list(FE = "", DL = "",
                REML = ", control = list(threshold = 1e-14, maxiter = 10000)",
                PM = ", control = list(tol = 1e-13, maxiter = 10000, tau2.max = 1e7)")
CONFINT_CONTROL <- "control = list(tol = 1e-13, maxiter = 10000, tau2.max = 1e7)"

escalc_records <- list()
rma_records <- list()
mh_records <- list()
peto_records <- list()
datasets <- list()

escalc_record <- function(name, setup, measure, zero, vtype) {
  args <- if (measure %in% c("OR", "RR", "RD", "PETO")) ES_BINARY else ES_CONTINUOUS
  call <- sprintf("%s; escalc(measure = \"%s\", %s%s, vtype = \"%s\")", setup, measure, args,
                  if (is.null(zero)) "" else ZERO[[zero]], vtype)
  out <- run_r(call)$value
  list(dataset = name, measure = measure, zero_cells = zero, vtype = vtype, r_call = call,
       yi = I(as.numeric(out$yi)), vi = I(as.numeric(out$vi)))
}

rma_record <- function(name, data_call, measure, zero, method, test) {
  fit <- sprintf("%s; res <- rma(yi, vi, data = dat, method = \"%s\", test = \"%s\"%s)",
                 data_call, method, test,
                 if (method == "REML" && measure %in% c("MD", "precomputed")) {
                   sub("1e-14", "1e-10", CONTROL$REML)
                 } else CONTROL[[method]])
  value <- function(expr) run_r(paste0(fit, "; ", expr))$value
  res <- value("res")
  record <- list(dataset = name, measure = measure, zero_cells = zero, method = method,
                 test = test, r_call = paste0(fit, "; res"),
                 k = res$k, beta = as.numeric(res$beta), se = res$se, zval = res$zval,
                 pval = res$pval, ci_lb = res$ci.lb, ci_ub = res$ci.ub, tau2 = res$tau2,
                 I2 = res$I2, H2 = res$H2, QE = res$QE, QEp = res$QEp)
  record$weights_r_call <- paste0(fit, "; weights(res)")
  record$weights <- I(as.numeric(value("weights(res)")))
  for (type in c("default", "riley")) {
    expr <- if (type == "default") "predict(res)" else "predict(res, pi.type = \"riley\")"
    pred <- value(expr)
    record[[paste0("predict_", type)]] <- list(r_call = paste0(fit, "; ", expr),
                                               pi_lb = pred$pi.lb, pi_ub = pred$pi.ub)
  }
  if (method != "FE") {
    expr <- sprintf("confint(res, %s)", CONFINT_CONTROL)
    ci <- value(expr)$random
    record$confint <- list(r_call = paste0(fit, "; ", expr), tau2_lb = ci["tau^2", "ci.lb"],
                           tau2_ub = ci["tau^2", "ci.ub"])
  }
  record
}

fixed_record <- function(name, setup, fun, measure) {
  call <- if (fun == "rma.mh") {
    sprintf("%s; res <- rma.mh(measure = \"%s\", %s); res", setup, measure, ES_BINARY)
  } else {
    sprintf("%s; res <- rma.peto(%s); res", setup, ES_BINARY)
  }
  res <- run_r(call)$value
  weights_call <- sub("; res$", "; weights(res)", call)
  list(dataset = name, measure = measure, r_call = call, k = res$k, k_yi = res$k.yi,
       beta = as.numeric(res$beta), se = res$se, zval = res$zval, pval = res$pval,
       ci_lb = res$ci.lb, ci_ub = res$ci.ub, I2 = res$I2, H2 = res$H2, QE = res$QE,
       QEp = res$QEp, weights_r_call = weights_call,
       weights = I(as.numeric(run_r(weights_call)$value)))
}

pool_all <- function(name, data_call, measure, zero) {
  for (method in c("FE", "DL", "REML", "PM")) {
    for (test in c("z", "knha")) {
      rma_records[[length(rma_records) + 1]] <<- rma_record(name, data_call, measure, zero,
                                                            method, test)
    }
  }
}

csv_text <- function(x) if (is.numeric(x)) vapply(x, num_str, "") else as.character(x)

# Rows with a missing number are left out of the CSV (metafor leaves them out of every fit).
write_csv <- function(name, columns) {
  dir.create("tests/data/meta", showWarnings = FALSE, recursive = TRUE)
  keep <- complete.cases(as.data.frame(columns))
  columns <- lapply(columns, function(x) x[keep])
  lines <- c(paste(names(columns), collapse = ","),
             do.call(paste, c(lapply(columns, function(x) {
               text <- csv_text(x)
               ifelse(grepl("[,\"]", text), paste0("\"", gsub("\"", "\"\"", text), "\""), text)
             }), sep = ",")))
  writeLines(lines, file.path("tests/data/meta", paste0(name, ".csv")))
}

for (name in names(binary)) {
  setup <- binary[[name]]
  e <- run_r(paste0(setup, "; list(study = study, ai = ai, n1i = n1i, ci = ci, n2i = n2i)"))$value
  datasets[[name]] <- list(kind = "binary", r_call = setup, study = I(as.character(e$study)),
                           treat_events = I(e$ai), treat_n = I(e$n1i),
                           control_events = I(e$ci), control_n = I(e$n2i))
  write_csv(name, list(study = as.character(e$study), events1 = e$ai, n1 = e$n1i,
                       events2 = e$ci, n2 = e$n2i))
  for (measure in c("OR", "RR", "RD")) {
    for (zero in c("revman", "metafor")) {
      for (vtype in if (measure == "RD") c("LS", "UB", "AV") else "LS") {
        escalc_records[[length(escalc_records) + 1]] <- escalc_record(name, setup, measure,
                                                                      zero, vtype)
      }
    }
    data_call <- sprintf("%s; dat <- escalc(measure = \"%s\", %s%s)", setup, measure,
                         ES_BINARY, ZERO$revman)
    if (measure == "OR") {
      for (zero in c("revman", "metafor")) {
        escalc_records[[length(escalc_records) + 1]] <- escalc_record(name, setup, "PETO",
                                                                      zero, "LS")
      }
    }
    pool_all(name, data_call, measure, "revman")
    mh_records[[length(mh_records) + 1]] <- fixed_record(name, setup, "rma.mh", measure)
  }
  peto_records[[length(peto_records) + 1]] <- fixed_record(name, setup, "rma.peto", "OR")
}

for (name in names(continuous)) {
  setup <- continuous[[name]]
  e <- run_r(paste0(setup, "; list(study = study, m1i = m1i, sd1i = sd1i, n1i = n1i, ",
                    "m2i = m2i, sd2i = sd2i, n2i = n2i)"))$value
  datasets[[name]] <- list(kind = "continuous", r_call = setup,
                           study = I(as.character(e$study)),
                           treat_mean = I(e$m1i), treat_sd = I(e$sd1i), treat_n = I(e$n1i),
                           control_mean = I(e$m2i), control_sd = I(e$sd2i),
                           control_n = I(e$n2i))
  write_csv(name, list(study = as.character(e$study), n1 = e$n1i, mean1 = e$m1i,
                       sd1 = e$sd1i, n2 = e$n2i, mean2 = e$m2i, sd2 = e$sd2i))
  for (measure in c("MD", "SMD")) {
    vtypes <- if (measure == "MD") c("LS", "HO") else c("LS", "LS2", "UB", "AV")
    for (vtype in vtypes) {
      escalc_records[[length(escalc_records) + 1]] <- escalc_record(name, setup, measure,
                                                                    NULL, vtype)
    }
    data_call <- sprintf("%s; dat <- escalc(measure = \"%s\", %s)", setup, measure,
                         ES_CONTINUOUS)
    pool_all(name, data_call, measure, NULL)
  }
}

for (name in names(precomputed)) {
  setup <- precomputed[[name]]
  e <- run_r(paste0(setup, "; list(study = study, yi = yi, vi = vi)"))$value
  datasets[[name]] <- list(kind = "precomputed", r_call = setup,
                           study = I(as.character(e$study)), yi = I(e$yi), vi = I(e$vi))
  pool_all(name, paste0(setup, "; dat <- data.frame(yi = yi, vi = vi)"), "precomputed", NULL)
}

# A synthetic pool (made up, found by a property test) on which Fisher scoring swings about
# the REML root: metafor's default fit stops with "did not converge"; halved steps
# (stepadj = 0.5) settle.
synthetic_records <- list()
synthetic <- list(
  reml_swinging = paste0("yi <- c(-2.1, -2.1, -2.6, -1.2, -1.2, -2.4, 0.1, -1.5, -1.9, -0.6, ",
                         "-1.2, -2.2); vi <- c(0.81778353, 1.8309048, 0.77583924, 1.00003372, ",
                         "0.01695421, 1.19129056, 1.42179228, 1.7357924, 1.31380366, ",
                         "1.7183169, 1.14716554, 0.23351134)")
)
for (name in names(synthetic)) {
  call <- paste0(synthetic[[name]], "; res <- rma(yi, vi, method = \"REML\", control = ",
                 "list(stepadj = 0.5, threshold = 1e-14, maxiter = 10000)); res")
  res <- run_r(call)$value
  default <- try(run_r(paste0(synthetic[[name]], "; rma(yi, vi, method = \"REML\")")),
                 silent = TRUE)
  synthetic_records[[length(synthetic_records) + 1]] <- list(
    case = name, r_call = call, default_fit_fails = inherits(default, "try-error"),
    yi = I(run_r(paste0(synthetic[[name]], "; yi"))$value),
    vi = I(run_r(paste0(synthetic[[name]], "; vi"))$value),
    beta = as.numeric(res$beta), se = res$se, tau2 = res$tau2, I2 = res$I2)
}

meta <- list(r_version = R.version$version.string,
             packages = list(metafor = as.character(packageVersion("metafor")),
                             metadat = as.character(packageVersion("metadat"))),
             group_order = "arm 1 (ai, n1i; m1i, sd1i, n1i) is the treatment; differences are treatment minus control",
             zero_cells = list(revman = "escalc(..., drop00 = TRUE)", metafor = "escalc's defaults add = 1/2, to = \"only0\", drop00 = FALSE"),
             number_format = "shortest decimal that reads back to the same double; \"Inf\", \"-Inf\", \"NaN\"; null for NA")
out <- list(meta = meta, datasets = datasets, escalc = escalc_records, rma = rma_records,
            rma_mh = mh_records, rma_peto = peto_records, rma_synthetic = synthetic_records)
writeLines(to_json(out), "tests/oracles/meta_oracles.json")
