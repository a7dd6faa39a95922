fn main() { talentchain::hello(); }
