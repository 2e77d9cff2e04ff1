// Expected numbers come from numpy 1.24 (tools/kmeans_reference.py literals).

#include "segment/random.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace salespipe::segment {
namespace {

struct StreamCase {
  std::uint32_t seed;
  std::vector<std::uint64_t> randint;  // five randint(1000003)
  std::vector<double> samples;         // then random_sample() twice
};

TEST(LegacyRandomState, MatchesNumpyRandintAndRandomSample) {
  const std::vector<StreamCase> cases = {
      {0u, {985772, 305711, 435829, 117952, 963395}, {0.8579456176227568, 0.8472517387841254}},
      {42u, {121958, 671155, 131932, 365838, 259178}, {0.7796910002727693, 0.596850157946487}},
      {12345u, {741858, 77285, 916765, 395393, 347556}, {0.03975949588835437, 0.8264361289719121}},
      {4294967295u,
       {944547, 147746, 125964, 830535, 931764},
       {0.5263213126361638, 0.7706147359158074}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.seed);
    LegacyRandomState rng(c.seed);
    for (const auto expected : c.randint) {
      EXPECT_EQ(rng.randint(1000003), expected);
    }
    for (const double expected : c.samples) {
      EXPECT_EQ(rng.random_sample(), expected);
    }
  }
}

TEST(LegacyRandomState, RawOutputIsNumpysMt19937) {
  // numpy: RandomState(42).randint(0, 2**32, size=5, dtype=np.uint32)
  LegacyRandomState rng(42);
  for (const std::uint32_t expected :
       {1608637542u, 3421126067u, 4083286876u, 787846414u, 3143890026u}) {
    EXPECT_EQ(rng.next_uint32(), expected);
  }
}

TEST(LegacyRandomState, RandintEdgeRangesDrawLikeNumpy) {
  // RandomState(7): randint(2), randint(2**32) (a raw output), randint(5) three times.
  LegacyRandomState rng(7);
  EXPECT_EQ(rng.randint(2), 1u);
  EXPECT_EQ(rng.randint(4294967296ULL), 976413892u);
  EXPECT_EQ(rng.randint(5), 1u);
  EXPECT_EQ(rng.randint(5), 3u);
  EXPECT_EQ(rng.randint(5), 3u);
}

TEST(LegacyRandomState, RandintOfOneValueDrawsNothing) {
  LegacyRandomState a(5);
  LegacyRandomState b(5);
  EXPECT_EQ(a.randint(1), 0u);
  EXPECT_EQ(a.next_uint32(), b.next_uint32());
}

TEST(LegacyRandomState, UniformScalesRandomSample) {
  LegacyRandomState a(42);
  LegacyRandomState b(42);
  EXPECT_EQ(a.uniform(0.0, 1.0), b.random_sample());
  EXPECT_EQ(a.uniform(2.0, 4.0), 2.0 + 2.0 * b.random_sample());
}

TEST(LegacyRandomState, PermutationMatchesNumpy) {
  LegacyRandomState rng(42);
  EXPECT_EQ(rng.permutation(10), (std::vector<std::size_t>{8, 1, 5, 0, 7, 2, 9, 4, 3, 6}));
  LegacyRandomState other(3);
  auto order = other.permutation(25);
  order.resize(8);
  EXPECT_EQ(order, (std::vector<std::size_t>{18, 17, 12, 23, 15, 16, 13, 2}));
}

TEST(LegacyRandomState, PermutationOfZeroAndOneItems) {
  LegacyRandomState rng(1);
  EXPECT_TRUE(rng.permutation(0).empty());
  EXPECT_EQ(rng.permutation(1), std::vector<std::size_t>{0});
}

TEST(LegacyRandomState, RejectsRandintRangesOutsideThirtyTwoBits) {
  LegacyRandomState rng(1);
  try {
    rng.randint(0);
    FAIL() << "randint(0) must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Internal);
    EXPECT_EQ(error.message(), "randint range [0, 0) is outside what the legacy stream supports");
  }
  EXPECT_THROW(rng.randint(4294967297ULL), Error);
}

}  // namespace
}  // namespace salespipe::segment
