class Egg: Hen {}
class Hen: Egg {}  // expect error: TypeError: 'Hen' inherits from itself
