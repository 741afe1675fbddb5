# Reference values for the rebuilt effect estimates and their intervals.
#
# Run from the repository root:
#     Rscript tests/oracles/make_estimate_oracles.R > tests/oracles/r_estimate_oracles.json
#
# Each record carries the exact R code that produced it ("r_call"); the script
# evaluates that very string. Base R gives fisher.test (conditional MLE OR and
# its exact interval), prop.test (Wilson intervals, from which Newcombe's
# interval is combined) and t.test (pooled and Welch intervals of a mean
# difference); metafor gives escalc's yi and vi (Woolf, Katz, Wald; MD; SMD with
# vtype LS, LS2, UB). The mid-p, Koopman and Agresti-Caffo intervals have no
# Debian-packaged R implementation: they are written out below from their
# definitions (uniroot on the tail or score function, with the constrained MLE
# of the Koopman score found by optimize, not by the closed form the Python
# kernel uses), with tight tolerances. Output is deterministic.

suppressPackageStartupMessages(library(metafor))
sink(nullfile())

records <- list()
run <- function(block, fields, code) {
  value <- eval(parse(text = code, keep.source = FALSE), envir = new.env())
  records[[length(records) + 1]] <<- c(list(block = block), fields,
                                          list(r_call = code, value = unname(as.numeric(value))))
}

midp_code <- function(a, n1, c, n2) sprintf(paste0(
  "a <- %d; n1 <- %d; c <- %d; n2 <- %d; m <- a + c; x <- max(0, m - n2):min(n1, m); ",
  "w <- lchoose(n1, x) + lchoose(n2, m - x); ",
  "pr <- function(t) { l <- w + x * t; p <- exp(l - max(l)); p / sum(p) }; ",
  "up <- function(t) { p <- pr(t); sum(p[x > a]) + sum(p[x == a]) / 2 - 0.025 }; ",
  "lo <- function(t) { p <- pr(t); sum(p[x < a]) + sum(p[x == a]) / 2 - 0.025 }; ",
  "c(if (a == min(x)) 0 else exp(uniroot(up, c(-30, 30), tol = 1e-13)$root), ",
  "if (a == max(x)) Inf else exp(uniroot(lo, c(-30, 30), tol = 1e-13)$root))"), a, n1, c, n2)

koopman_code <- function(a, n1, c, n2) sprintf(paste0(
  "a <- %d; n1 <- %d; c <- %d; n2 <- %d; z <- qnorm(0.975); ",
  "q2 <- function(t) optimize(function(p) -(dbinom(a, n1, t * p, log = TRUE) + ",
  "dbinom(c, n2, p, log = TRUE)), c(0, min(1, 1 / t)), tol = 1e-14)$minimum; ",
  "s <- function(lt) { t <- exp(lt); p <- q2(t); ",
  "(a / n1 - t * c / n2) / sqrt(t * p * (1 - t * p) / n1 + t^2 * p * (1 - p) / n2) }; ",
  "r <- log((a / n1) / (c / n2)); ",
  "c(exp(uniroot(function(lt) s(lt) - z, c(r - 10, r), tol = 1e-12)$root), ",
  "exp(uniroot(function(lt) s(lt) + z, c(r, r + 10), tol = 1e-12)$root))"), a, n1, c, n2)

newcombe_code <- function(a, n1, c, n2) sprintf(paste0(
  "w1 <- prop.test(%d, %d, correct = FALSE)$conf.int; w2 <- prop.test(%d, %d, correct = FALSE)$conf.int; ",
  "p1 <- %d / %d; p2 <- %d / %d; ",
  "c(p1 - p2 - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), p1 - p2 + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))"),
  a, n1, c, n2, a, n1, c, n2)

caffo_code <- function(a, n1, c, n2) sprintf(paste0(
  "q1 <- (%d + 1) / (%d + 2); q2 <- (%d + 1) / (%d + 2); ",
  "h <- qnorm(0.975) * sqrt(q1 * (1 - q1) / (%d + 2) + q2 * (1 - q2) / (%d + 2)); ",
  "c(q1 - q2 - h, q1 - q2 + h)"), a, n1, c, n2, n1, n2)

tables <- list(c(20, 50, 10, 50), c(15, 60, 26, 60), c(31, 137, 41, 141), c(3, 12, 0, 15),
               c(1, 30, 2, 31), c(9, 9, 4, 9), c(0, 10, 5, 10))
for (tb in tables) {
  a <- tb[1]; n1 <- tb[2]; c <- tb[3]; n2 <- tb[4]
  fields <- list(treat_events = a, treat_n = n1, control_events = c, control_n = n2)
  fisher <- sprintf("fisher.test(matrix(c(%d, %d, %d, %d), 2, byrow = TRUE))", a, n1 - a, c, n2 - c)
  run("conditional_or", fields, sprintf("f <- %s; c(f$estimate, f$conf.int)", fisher))
  run("mid_p_or", fields, midp_code(a, n1, c, n2))
  if (a > 0 && c > 0 && a < n1) run("koopman_rr", fields, koopman_code(a, n1, c, n2))
  run("newcombe_rd", fields, newcombe_code(a, n1, c, n2))
  run("agresti_caffo_rd", fields, caffo_code(a, n1, c, n2))
  for (measure in c("OR", "RR", "RD")) {
    run(paste0("escalc_", measure), fields, sprintf(paste0(
      "e <- escalc(measure = \"%s\", ai = %d, n1i = %d, ci = %d, n2i = %d); c(e$yi, e$vi)"),
      measure, a, n1, c, n2))
  }
}

summaries <- list(c(10.0, 3.0, 50, 8.5, 2.8, 50), c(12.4, 5.1, 31, 15.2, 6.3, 29),
                  c(3.1, 1.2, 12, 2.2, 0.9, 15))
data_code <- function(m, s, n) sprintf("%s + %s * as.numeric(scale(seq_len(%d)))", m, s, n)
for (sm in summaries) {
  fields <- list(treat_mean = sm[1], treat_sd = sm[2], treat_n = sm[3],
                 control_mean = sm[4], control_sd = sm[5], control_n = sm[6])
  x <- data_code(sm[1], sm[2], sm[3]); y <- data_code(sm[4], sm[5], sm[6])
  for (equal in c(TRUE, FALSE)) {
    run(if (equal) "md_pooled_t" else "md_welch_t", fields, sprintf(
      "t <- t.test(%s, %s, var.equal = %s); c(t$estimate[1] - t$estimate[2], t$conf.int)",
      x, y, if (equal) "TRUE" else "FALSE"))
  }
  run("escalc_MD", fields, sprintf(paste0(
    "e <- escalc(measure = \"MD\", m1i = %s, sd1i = %s, n1i = %d, m2i = %s, sd2i = %s, n2i = %d); ",
    "c(e$yi, e$vi)"), sm[1], sm[2], sm[3], sm[4], sm[5], sm[6]))
  for (vtype in c("LS", "LS2", "UB")) {
    run(paste0("escalc_SMD_", vtype), fields, sprintf(paste0(
      "e <- escalc(measure = \"SMD\", m1i = %s, sd1i = %s, n1i = %d, m2i = %s, sd2i = %s, ",
      "n2i = %d, vtype = \"%s\"); c(e$yi, e$vi)"), sm[1], sm[2], sm[3], sm[4], sm[5], sm[6], vtype))
  }
}

sink()
meta <- list(r_version = R.version.string,
             metafor = as.character(packageVersion("metafor")),
             note = paste("fisher.test's own root finder (uniroot, default tolerance about 1e-4)",
                          "limits its agreement with an exact solution to about 1e-4 relative"))
cat(jsonlite::toJSON(list(meta = meta, records = records), auto_unbox = TRUE, digits = NA,
                     pretty = TRUE), "\n")
