/** A small fixed prose haystack for the generator tests: ten sentences, some with code. */
export const PROSE = [
  "R is an integrated suite of software facilities for data manipulation, calculation and graphical display.",
  "It has an effective data handling and storage facility.",
  "There is a suite of operators for calculations on arrays, in particular matrices.",
  "The term environment is intended to characterize it as a fully planned and coherent system.",
  "Vectors are the simplest type of object in R.",
  "To set up a vector named x, say, use the R command x <- c(10.4, 5.6, 3.1, 6.4, 21.7).",
  "Is this a question? Yes, and it ends like one.",
  "Most users will find it natural to use the plotting functions.",
  "The function lm fits linear models.",
  "Factors are vector objects used to specify a discrete classification of the components.",
].join("\n  ");
