#include "app/person_matching.h"

namespace casus::app {

StatusOr<std::string> LinkOrCreatePerson(storage::Transaction& tx, IdGenerator& ids, const std::string& name,
                                         std::optional<Date> birth_date, TimePoint now,
                                         std::optional<std::string> bsn) {
  ASSIGN_OR_RETURN(auto matches, tx.persons().FindByName(name, birth_date));
  if (matches.size() == 1 && matches[0].birth_date == birth_date) return matches[0].id;
  storage::Person person{ids.NewId("person_"), name, birth_date, std::move(bsn), now};
  RETURN_IF_ERROR(tx.persons().Insert(person));
  return person.id;
}

}  // namespace casus::app
