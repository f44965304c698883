// The compiled parts of Boost.Asio (with its SSL layer) and Boost.Beast,
// built once for the whole project. Every translation unit is compiled with
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION (top
// CMakeLists.txt), so the headers declare these functions and only this
// file defines them: without it each Beast user compiled and optimised all
// of them again (about a fifth of such a unit's build time).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
