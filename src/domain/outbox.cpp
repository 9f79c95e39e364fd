#include "dondoc/domain/outbox.hpp"

#include "enum_names.hpp"

namespace dondoc::domain {

namespace {

constexpr detail::NameTable<Channel, 2> kChannels{{
    {Channel::email, "email"},
    {Channel::webhook, "webhook"},
}};
constexpr detail::NameTable<OutboxState, 3> kStates{{
    {OutboxState::queued, "queued"},
    {OutboxState::sent, "sent"},
    {OutboxState::dead, "dead"},
}};

}  // namespace

std::string_view to_string(Channel c) {
  return detail::name_of(kChannels, c);
}
std::optional<Channel> parse_channel(std::string_view text) {
  return detail::parse_name(kChannels, text);
}
std::string_view to_string(OutboxState s) {
  return detail::name_of(kStates, s);
}
std::optional<OutboxState> parse_outbox_state(std::string_view text) {
  return detail::parse_name(kStates, text);
}

std::string outbox_state_names() {
  return detail::names_of(kStates);
}

}  // namespace dondoc::domain
